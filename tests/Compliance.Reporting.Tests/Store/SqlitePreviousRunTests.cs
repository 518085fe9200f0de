using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Data.Sqlite;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// The SQLite finalisation reads the previous run on a connection of its own, beside the one that
/// holds the write lock: the statuses come out as the history says, and the connection leaves
/// nothing behind once the store's connections close.
/// </summary>
public sealed class SqlitePreviousRunTests : IDisposable
{
    private readonly SqliteTestStore _sqlite = new();

    public void Dispose() => _sqlite.Dispose();

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
