using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Runs;

/// <summary>
/// Which runs are kept: every run started within <see cref="ReportStoreOptions.Retention"/>, and each
/// tenant's latest baseline run whatever its age (the next run compares with it). The rest are
/// deleted with their findings and outputs; so are finding states not seen since the cutoff.
/// </summary>
public sealed class RunRetention(IReportStore store, RunOutputs outputs, IOptions<ReportStoreOptions> options, TimeProvider time, ILogger<RunRetention> logger)
{
    /// <summary>The runs to delete now, given every run of the store.</summary>
    public static IReadOnlyList<RunRecord> Doomed(IReadOnlyList<RunRecord> runs, DateTimeOffset cutoff)
    {
        var keep = runs.Where(r => r.Status.IsBaseline())
            .GroupBy(r => r.TenantId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal).First().RunId)
            .ToHashSet(StringComparer.Ordinal);
        return runs.Where(r => r.StartedAt < cutoff && !keep.Contains(r.RunId)).ToList();
    }

    public async Task<PruneResult> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        var old = await store.ListRunsAsync(new RunQuery { Limit = int.MaxValue }, cancellationToken);
        var doomed = Doomed(old, cutoff);
        if (doomed.Count == 0)
        {
            return PruneResult.None;
        }

        var result = await store.DeleteRunsAsync(doomed.Select(r => r.RunId).ToList(), cutoff, cancellationToken);
        foreach (var run in doomed)
        {
            await outputs.DeleteAsync(run.RunId, cancellationToken);
        }

        logger.LogInformation("Pruned {Runs} run(s) started before {Cutoff:u} with their findings and outputs", result.RunsDeleted, cutoff);
        return result;
    }
}
