using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Data.Sqlite;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// The SQLite finalisation. It says a first run's statuses as its findings move into place; a run is
/// a first run only with no previous run and no finding states: a tenant whose baseline runs are gone
/// but whose states remain is compared with those states, finding by finding. A later run is compared
/// with the previous one, read on a connection of its own beside the one holding the write lock, which
/// leaves nothing behind once the store's connections close.
/// </summary>
public sealed class SqliteFinalizationTests : IDisposable
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

    [Fact]
    public async Task A_second_run_is_compared_with_the_previous_one_and_the_log_is_removed_when_the_connections_close()
    {
        var stays = Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail);
        var fixedOne = Finding("AZ-ENC-001", Resource(Prod, "st2"), Outcome.Fail);
        var passes = Finding("AZ-ENC-002", Resource(Dev, "st3"), Outcome.Pass);
        await _sqlite.ScanAsync("run-1", [stays, fixedOne, passes]);
        var appears = Finding("AZ-ENC-002", Resource(Dev, "st4"), Outcome.Fail);
        var second = await _sqlite.ScanAsync("run-2", [stays, fixedOne with { Outcome = Outcome.Pass }, passes, appears]);

        Assert.Equal("run-1", second.PreviousRunId);
        var statuses = (await _sqlite.ReadAsync(new FindingQuery { RunId = "run-2" })).ToDictionary(f => f.Finding.FindingId, f => f.Status);
        Assert.Equal(HistoryStatus.Persisting, statuses[stays.FindingId]);
        Assert.Equal(HistoryStatus.Resolved, statuses[fixedOne.FindingId]);
        Assert.Null(statuses[passes.FindingId]);
        Assert.Equal(HistoryStatus.New, statuses[appears.FindingId]);

        // The last connection to close removes the write-ahead log; one that could only read would leave it.
        SqliteConnection.ClearAllPools();
        Assert.True(File.Exists(_sqlite.DatabasePath));
        Assert.False(File.Exists(_sqlite.DatabasePath + "-wal"), "the write-ahead log is still there after every connection closed");
    }
}
