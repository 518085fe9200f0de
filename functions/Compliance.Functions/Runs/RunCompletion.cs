using Compliance.Azure.Notifications;
using Compliance.Azure.Storage;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Runs;

/// <summary>
/// What happens once a run's last scope reported: the run is finalised exactly once (the store's
/// compare-and-set decides who), then its outputs — evidence in Blob storage, the alert — are
/// written, each on its own: one failing output never stops the other, and neither fails the run.
/// </summary>
public sealed class RunCompletion(
    RunFinalizer finalizer,
    IReportStore store,
    EvidencePublisher evidence,
    EvidenceBlobStore evidenceBlobs,
    RunAlerts alerts,
    IOptions<ReportStoreOptions> storeOptions,
    TimeProvider time,
    ILogger<RunCompletion> logger)
{
    /// <summary>Finalises the run if this caller wins the claim and writes its outputs; null when someone else finalises it.</summary>
    public async Task<RunRecord?> TryFinalizeAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await finalizer.TryFinalizeAsync(runId, cancellationToken);
        if (run is null)
        {
            logger.LogInformation("Run {RunId} is finalised by another caller", runId);
            return null;
        }

        logger.LogInformation(
            "Run {RunId} finalised: {Status}; {Fail} fail, {Error} error, {New} new, {Regressed} regressed, {Resolved} resolved",
            run.RunId, run.Status, run.Counts?.Fail, run.Counts?.Error, run.Counts?.New, run.Counts?.Regressed, run.Counts?.Resolved);
        Azure.Telemetry.ComplianceMetrics.RunFinalized(StoreJson.Wire(run.Status));
        await PublishAsync(run, cancellationToken);
        await PruneAsync(cancellationToken);
        return run;
    }

    /// <summary>Writes the evidence and sends the alert of a finalised run, each on its own.</summary>
    public async Task PublishAsync(RunRecord run, CancellationToken cancellationToken)
    {
        await PublishEvidenceAsync(run, cancellationToken);
        await AlertAsync(run, cancellationToken);
    }

    /// <summary>Writes the run's evidence to Blob storage; a failure (a missing signing key…) is logged with its reason.</summary>
    public async Task PublishEvidenceAsync(RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            var manifest = await evidence.PublishAsync(run, cancellationToken);
            logger.LogInformation("Evidence of run {RunId} written ({Signed})", run.RunId, manifest.Signature is null ? "unsigned" : "signed with key " + manifest.Signature.KeyId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("The evidence of run {RunId} could not be written: {Error}", run.RunId, ex.Message);
        }
    }

    /// <summary>Sends the run's alert once (its result is recorded on the run); a failure to record it is logged.</summary>
    public async Task AlertAsync(RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            await alerts.NotifyAsync(run, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("The alert of run {RunId} could not be recorded: {Error}", run.RunId, ex.Message);
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var cutoff = time.GetUtcNow() - storeOptions.Value.Retention;
            var old = await store.ListRunsAsync(new RunQuery { StartedBefore = cutoff, Limit = 1000 }, cancellationToken);
            var pruned = await store.PruneAsync(cutoff, cancellationToken);
            if (pruned.RunsDeleted == 0)
            {
                return;
            }

            foreach (var run in old)
            {
                if (await store.GetRunAsync(run.RunId, cancellationToken) is null)
                {
                    await evidenceBlobs.DeleteAsync(run.RunId, cancellationToken);
                }
            }

            logger.LogInformation("Pruned {Runs} run(s) started before {Cutoff:u} with their findings and evidence", pruned.RunsDeleted, cutoff);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("Pruning old runs failed: {Error}", ex.Message);
        }
    }
}
