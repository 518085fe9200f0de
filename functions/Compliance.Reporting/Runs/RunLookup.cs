using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Runs;

/// <summary>
/// Finds the run a command or a request names: "latest" is the last finalised run (by finish time:
/// the newest history, whichever run started first), else the run with that id.
/// </summary>
public sealed class RunLookup(IReportStore store)
{
    public const string Latest = "latest";

    /// <summary>The run, or throws <see cref="RunLookupException"/> saying why not. With <paramref name="finalizedOnly"/>, a run still open is refused.</summary>
    public async Task<RunRecord> FindAsync(string? runIdOrLatest, bool finalizedOnly, string where, CancellationToken cancellationToken)
    {
        if (runIdOrLatest is null || string.Equals(runIdOrLatest, Latest, StringComparison.OrdinalIgnoreCase))
        {
            return await LatestAsync(null, cancellationToken)
                ?? throw new RunLookupException(RunLookupProblem.NoRunYet, $"{where} holds no finalised run yet");
        }

        if (!RunIds.IsValid(runIdOrLatest))
        {
            throw new RunLookupException(RunLookupProblem.BadId, $"'{runIdOrLatest}' is not a run id (letters, digits, '.', '_', ':' and '-', at most {RunIds.MaxLength} characters), nor '{Latest}'");
        }

        var run = await store.GetRunAsync(runIdOrLatest, cancellationToken)
            ?? throw new RunLookupException(RunLookupProblem.NotFound, $"run '{runIdOrLatest}' does not exist in {where}");
        if (finalizedOnly && !run.IsFinalized)
        {
            throw new RunLookupException(RunLookupProblem.NotFinalized, $"run '{run.RunId}' is {run.Status.ToWire()}: its history is not known{(run.Status == RunStatus.Abandoned ? " (it was abandoned: " + run.AbandonedReason + ")" : " yet")}");
        }

        return run;
    }

    /// <summary>The last finalised run (of a tenant, when given), by finish time.</summary>
    public async Task<RunRecord?> LatestAsync(string? tenantId, CancellationToken cancellationToken) =>
        (await store.ListRunsAsync(new RunQuery { TenantId = tenantId, Statuses = RunStatuses.Finalized, Order = RunOrder.LatestFinished, Limit = 1 }, cancellationToken)).FirstOrDefault();
}
