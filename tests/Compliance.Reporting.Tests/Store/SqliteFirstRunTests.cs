using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Sqlite;
using Compliance.Reporting.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// The SQLite store says a first run's statuses as its findings move into place. A run is a first
/// run only with no previous run and no finding states: a tenant whose baseline runs are gone but
/// whose states remain is compared with those states, finding by finding.
/// </summary>
public sealed class SqliteFirstRunTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "compliance-first-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(T0);
    private readonly SqliteReportStore _store;

    public SqliteFirstRunTests()
    {
        _store = new SqliteReportStore(Options.Create(new SqliteStoreOptions { Path = DatabasePath }));
    }

    private string DatabasePath => Path.Combine(_directory, "compliance.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_without_a_previous_run_but_with_finding_states_is_compared_with_the_states()
    {
        var left = Finding("OTHER-001", Resource(Prod, "st1"), Outcome.Fail, packId: "not-in-run-2");
        var stays = Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail);
        await ScanAsync("run-1", [left, stays]);
        await ScanAsync("run-2", [stays]);
        Assert.Single(await _store.GetFindingStatesAsync(Tenant, [left.FindingId]));

        // The baseline runs are gone (here by hand: retention always keeps the latest), their states are not.
        await ExecuteAsync("UPDATE runs SET status = 'suspect'");
        var third = await ScanAsync("run-3", [left, stays, Finding("AZ-ENC-001", Resource(Prod, "st2"), Outcome.Fail)]);

        Assert.Null(third.PreviousRunId);
        var statuses = (await ReadAsync("run-3")).ToDictionary(f => f.Finding.FindingId, f => f.Status);
        Assert.Equal(HistoryStatus.Persisting, statuses[left.FindingId]);
        Assert.Equal(HistoryStatus.New, statuses[stays.FindingId]);
        Assert.Equal(HistoryStatus.New, statuses[FindingId.Compute("AZ-ENC-001", Resource(Prod, "st2"))]);
        Assert.Equal(2, third.Counts!.New);
        Assert.Equal(1, third.Counts.Persisting);
    }

    [Fact]
    public async Task A_first_run_counts_its_problems_new_and_its_passes_without_status()
    {
        var run = await ScanAsync("run-1", [
            Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail),
            Finding("AZ-ENC-002", Resource(Prod, "st1"), Outcome.Pass),
            Finding("AZ-ENC-003", Resource(Dev, "st2"), Outcome.Suppressed),
            Finding("AZ-ENC-001", Resource(Dev, "st2"), Outcome.Error)]);

        Assert.Equal(new RunCounts { Total = 4, Pass = 1, Fail = 1, Error = 1, Suppressed = 1, New = 3 }, run.Counts);
        Assert.Equal([null, HistoryStatus.New, HistoryStatus.New, HistoryStatus.New], (await ReadAsync("run-1")).Select(f => f.Status).Order());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<StoredFinding>> ReadAsync(string runId)
    {
        var all = new List<StoredFinding>();
        await foreach (var stored in _store.ReadFindingsAsync(new FindingQuery { RunId = runId }))
        {
            all.Add(stored);
        }

        return all;
    }

    private async Task<RunRecord> ScanAsync(string runId, IReadOnlyList<Finding> findings)
    {
        await _store.CreateRunAsync(Run(runId, _time.GetUtcNow(), Tenant, Prod, Dev));
        await _store.SaveFindingsAsync(runId, findings);
        await _store.CompleteScopesAsync(runId, [new ScopeCompletion(Prod, ScopeStatus.Ok, _time.GetUtcNow()), new ScopeCompletion(Dev, ScopeStatus.Ok, _time.GetUtcNow())]);
        _time.Advance(TimeSpan.FromMinutes(5));
        var finalizer = new RunFinalizer(_store, _time, Options.Create(new ReportStoreOptions { MassChangeMinimum = int.MaxValue }));
        var run = await finalizer.TryFinalizeAsync(runId) ?? throw new InvalidOperationException("not finalised");
        _time.Advance(TimeSpan.FromDays(1));
        return run;
    }
}
