using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// The SQLite store says a first run's statuses as its findings move into place. A run is a first
/// run only with no previous run and no finding states: a tenant whose baseline runs are gone but
/// whose states remain is compared with those states, finding by finding.
/// </summary>
public sealed class SqliteFirstRunTests : IDisposable
{
    private readonly SqliteTestStore _sqlite = new();

    public void Dispose() => _sqlite.Dispose();

    [Fact]
    public async Task A_run_without_a_previous_run_but_with_finding_states_is_compared_with_the_states()
    {
        var left = Finding("OTHER-001", Resource(Prod, "st1"), Outcome.Fail, packId: "not-in-run-2");
        var stays = Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail);
        await _sqlite.ScanAsync("run-1", [left, stays]);
        await _sqlite.ScanAsync("run-2", [stays]);
        Assert.Single(await _sqlite.Store.GetFindingStatesAsync(Tenant, [left.FindingId]));

        // The baseline runs are gone (here by hand: retention always keeps the latest), their states are not.
        await _sqlite.ExecuteAsync("UPDATE runs SET status = 'suspect'");
        var third = await _sqlite.ScanAsync("run-3", [left, stays, Finding("AZ-ENC-001", Resource(Prod, "st2"), Outcome.Fail)]);

        Assert.Null(third.PreviousRunId);
        var statuses = (await _sqlite.ReadAsync(new FindingQuery { RunId = "run-3" })).ToDictionary(f => f.Finding.FindingId, f => f.Status);
        Assert.Equal(HistoryStatus.Persisting, statuses[left.FindingId]);
        Assert.Equal(HistoryStatus.New, statuses[stays.FindingId]);
        Assert.Equal(HistoryStatus.New, statuses[FindingId.Compute("AZ-ENC-001", Resource(Prod, "st2"))]);
        Assert.Equal(2, third.Counts!.New);
        Assert.Equal(1, third.Counts.Persisting);
    }

    [Fact]
    public async Task A_first_run_counts_its_problems_new_and_its_passes_without_status()
    {
        // A different number of each outcome, so that no count can stand in for another.
        var findings = new List<Finding>();
        (string Rule, Outcome Outcome, int Count)[] mix = [("AZ-ENC-002", Outcome.Pass, 4), ("AZ-ENC-001", Outcome.Fail, 1), ("AZ-ENC-003", Outcome.Suppressed, 2), ("AZ-ENC-004", Outcome.Error, 3)];
        foreach (var (rule, outcome, count) in mix)
        {
            findings.AddRange(Enumerable.Range(0, count).Select(i => Finding(rule, Resource(i % 2 == 0 ? Prod : Dev, $"st{i}"), outcome)));
        }

        var run = await _sqlite.ScanAsync("run-1", findings);

        Assert.Equal(new RunCounts { Total = 10, Pass = 4, Fail = 1, Error = 3, Suppressed = 2, New = 6 }, run.Counts);
        var statuses = (await _sqlite.ReadAsync(new FindingQuery { RunId = "run-1" })).ToLookup(f => f.Finding.Outcome, f => f.Status);
        Assert.All(statuses[Outcome.Pass], s => Assert.Null(s));
        Assert.All(statuses[Outcome.Fail].Concat(statuses[Outcome.Error]).Concat(statuses[Outcome.Suppressed]), s => Assert.Equal(HistoryStatus.New, s));
    }
}
