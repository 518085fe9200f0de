using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Sqlite;
using Compliance.Reporting.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Store;

/// <summary>A SQLite store in a folder of its own for a test, with runs scanned and finalised as the CLI does, a day apart.</summary>
internal sealed class SqliteTestStore : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "compliance-sqlite-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(T0);

    public SqliteTestStore()
    {
        Store = new SqliteReportStore(Options.Create(new SqliteStoreOptions { Path = DatabasePath }));
    }

    public SqliteReportStore Store { get; }

    public string DatabasePath => Path.Combine(_directory, "compliance.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Records the findings in a run whose scopes (Prod, Dev, Entra) were all read, and finalises it (never as suspect).</summary>
    public async Task<RunRecord> ScanAsync(string runId, IReadOnlyList<Finding> findings)
    {
        await Store.CreateRunAsync(Run(runId, _time.GetUtcNow(), Tenant, Prod, Dev, Entra));
        await Store.SaveFindingsAsync(runId, findings);
        await Store.CompleteScopesAsync(runId, [new ScopeCompletion(Prod, ScopeStatus.Ok, _time.GetUtcNow()), new ScopeCompletion(Dev, ScopeStatus.Ok, _time.GetUtcNow()), new ScopeCompletion(Entra, ScopeStatus.Ok, _time.GetUtcNow())]);
        _time.Advance(TimeSpan.FromMinutes(5));
        var finalizer = new RunFinalizer(Store, _time, Options.Create(new ReportStoreOptions { MassChangeMinimum = int.MaxValue }));
        var run = await finalizer.TryFinalizeAsync(runId) ?? throw new InvalidOperationException("not finalised");
        Assert.NotEqual(RunStatus.Suspect, run.Status);
        _time.Advance(TimeSpan.FromDays(1));
        return run;
    }

    public async Task<List<StoredFinding>> ReadAsync(FindingQuery query)
    {
        var all = new List<StoredFinding>();
        await foreach (var stored in Store.ReadFindingsAsync(query))
        {
            all.Add(stored);
        }

        return all;
    }

    /// <summary>Changes the file behind the store's back, as damage or a lost run would.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }
}
