using Compliance.Reporting.Runs;
using Compliance.Reporting.Sqlite;
using Compliance.Reporting.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>What the read commands (runs, findings, export) share: the store opened read-only and the run they name.</summary>
internal sealed class StoreReading(ServiceProvider services) : IAsyncDisposable
{
    public static StoreReading Open(CliEnvironment env, string? store)
    {
        if (CliServices.IsNoStore(store))
        {
            throw new UsageException($"--store {CliServices.NoStore} keeps nothing to read: name the store file");
        }

        return new StoreReading(CliServices.Build(env, store, readOnly: true));
    }

    public SqliteReportStore Store => services.Store();

    /// <summary>"latest" or a run id; the run must be finalised.</summary>
    public async Task<RunRecord> RunAsync(string? run, CancellationToken cancellationToken)
    {
        try
        {
            return await services.GetRequiredService<RunLookup>().FindAsync(run, finalizedOnly: true, $"the report store {Store.DatabasePath}", cancellationToken);
        }
        catch (RunLookupException ex)
        {
            throw new UsageException(ex.Problem switch
            {
                RunLookupProblem.NoRunYet => $"{ex.Message}: run 'compliance scan' first (with the same --store)",
                RunLookupProblem.NotFound => $"--run '{run}': no such run in {Store.DatabasePath}; 'compliance runs' lists them",
                _ => $"--run '{run}': {ex.Message}",
            });
        }
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
