using Compliance.Azure.Notifications;
using Compliance.Azure.Storage;
using Compliance.Functions.Scanning;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Runs;

/// <summary>
/// Finishes what the queue did not: a run whose scopes have not all reported within
/// <see cref="ScanSettings.StuckRunTimeout"/> is finalised as incomplete (each silent scope gets an
/// error finding, so it is not read as compliant), a finalisation whose claim expired is taken over,
/// and a recently finalised run whose evidence or alert was lost (its finaliser died) gets them.
/// </summary>
public sealed class RunSweeper(
    IReportStore store,
    RunCompletion completion,
    ScopeErrors scopeErrors,
    EvidenceBlobStore evidenceBlobs,
    RunAlerts alerts,
    IOptions<ScanSettings> settings,
    IOptions<ReportStoreOptions> storeOptions,
    TimeProvider time,
    ILogger<RunSweeper> logger)
{
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timeout = settings.Value.StuckRunTimeout;
        var open = await store.ListRunsAsync(new RunQuery { Statuses = [RunStatus.Running, RunStatus.Finalizing], Limit = 100 }, cancellationToken);
        var lease = storeOptions.Value.FinalizationLease;
        var due = open.Where(r => r.Status == RunStatus.Running
            ? now - r.StartedAt >= timeout
            : r.FinalizationClaimedAt is not { } claimed || now - claimed >= lease);
        foreach (var run in due)
        {
            if (run.Status == RunStatus.Running)
            {
                foreach (var scope in run.Scopes.Where(s => s.Status == ScopeStatus.Pending))
                {
                    var error = $"did not report within {timeout} of the run's start (Scan:StuckRunTimeout): the run was finalised without it";
                    logger.LogWarning("Run {RunId}: scope {ScopeId} {Error}", run.RunId, scope.Id, error);
                    await scopeErrors.RecordAsync(run, scope.Id, scope.DisplayName, error, complete: false, cancellationToken);
                }
            }

            await completion.TryFinalizeAsync(run.RunId, cancellationToken);
        }

        // A finaliser that died after finalising leaves no evidence or no alert record; once its
        // claim would have expired, nobody else is writing them.
        var settled = now - lease;
        var recent = await store.ListRunsAsync(new RunQuery { Statuses = RunQuery.Finalized, Limit = 10 }, cancellationToken);
        foreach (var run in recent.Where(r => r.FinishedAt is { } finished && finished <= settled))
        {
            if (!await evidenceBlobs.ExistsAsync(run.RunId, cancellationToken))
            {
                logger.LogWarning("Run {RunId} was finalised without its evidence: writing it now", run.RunId);
                await completion.PublishEvidenceAsync(run, cancellationToken);
            }

            if (!run.Notifications.Any(n => n.Channel == alerts.Channel))
            {
                logger.LogWarning("Run {RunId} was finalised without its alert: sending it now", run.RunId);
                await completion.AlertAsync(run, cancellationToken);
            }
        }
    }
}
