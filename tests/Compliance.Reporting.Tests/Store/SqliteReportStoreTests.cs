using Compliance.Reporting.Sqlite;
using Compliance.Reporting.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Tests.Store;

/// <summary>The store contract against the SQLite store, one fresh database file per test.</summary>
public sealed class SqliteReportStoreTests : ReportStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "compliance-store-" + Guid.NewGuid().ToString("N"));

    protected override Task<IReportStore> CreateStoreAsync() =>
        Task.FromResult<IReportStore>(new SqliteReportStore(Options.Create(new SqliteStoreOptions { Path = Path.Combine(_directory, "nested", "compliance.db") })));

    protected override Task DeleteStoreAsync(IReportStore store)
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_database_file_and_its_folder_are_created_on_first_use()
    {
        await Store.ListRunsAsync(new RunQuery());

        Assert.True(File.Exists(Path.Combine(_directory, "nested", "compliance.db")));
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_sees_the_same_runs()
    {
        await Store.CreateRunAsync(StoreTestData.Run("run-1", StoreTestData.T0));
        var other = new SqliteReportStore(Options.Create(new SqliteStoreOptions { Path = Path.Combine(_directory, "nested", "compliance.db") }));

        Assert.NotNull(await other.GetRunAsync("run-1"));
        var version = (await Store.GetRunAsync("run-1"))!.Version;
        Assert.True(await other.TryUpdateRunAsync("run-1", version, new RunChange { Status = RunStatus.Finalizing, ClaimedAt = StoreTestData.T0 }));
        Assert.False(await Store.TryUpdateRunAsync("run-1", version, new RunChange { Status = RunStatus.Finalizing, ClaimedAt = StoreTestData.T0 }));
    }
}
