using System.Reflection;
using Compliance.Reporting.Evidence;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Compliance.Reporting.Store.Sqlite;
using Microsoft.Extensions.Options;

namespace Compliance.Cli.Commands;

/// <summary>The local report store as the commands open it, and what they share around it.</summary>
internal static class StoreAccess
{
    public static SqliteReportStore Open(string? path) =>
        new(Options.Create(new SqliteStoreOptions { Path = path ?? CliOptions.DefaultStorePath }));

    public static RunFinalizer Finalizer(IReportStore store, CliEnvironment env, ReportStoreOptions options) =>
        new(store, env.Time, Options.Create(options));

    /// <summary>"latest": the latest finalised run; else the run with that id, which must be finalised.</summary>
    public static async Task<RunRecord> ResolveRunAsync(IReportStore store, string? run, string storePath, CancellationToken cancellationToken)
    {
        if (run is null or "latest")
        {
            return (await store.ListRunsAsync(new RunQuery { Statuses = RunQuery.Finalized, Limit = 1 }, cancellationToken)).FirstOrDefault()
                ?? throw new UsageException($"the report store {storePath} holds no finalised run yet: run 'compliance scan' first (with the same --store)");
        }

        var found = await store.GetRunAsync(run, cancellationToken)
            ?? throw new UsageException($"--run '{run}': no such run in {storePath}; 'compliance runs' lists them");
        return found.IsFinalized
            ? found
            : throw new UsageException($"--run '{run}' is still {found.Status.ToString().ToLowerInvariant()}: its history is not known yet");
    }

    public static async IAsyncEnumerable<StoredFinding> ReadAllAsync(IReportStore store, FindingQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await store.ListFindingsAsync(query with { ContinuationToken = token }, cancellationToken);
            foreach (var finding in page.Findings)
            {
                yield return finding;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    public static SigningKey? SigningKey(string? file) =>
        Reporting.Evidence.SigningKey.Load(new EvidenceOptions { SigningKeyFile = file }, Environment.GetEnvironmentVariable);

    public static string ToolVersion =>
        typeof(StoreAccess).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
