using Compliance.Azure.Collectors;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Functions.Runs;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Scanning;

/// <summary>
/// Scans one scope of a run: collects it into a temporary snapshot, evaluates the rules with the
/// engine the CLI uses, applies suppressions, stores the scope's findings (keyed by run and finding
/// id: a retried message replaces, never duplicates), reports the scope, and finalises the run when
/// it was the last one.
/// </summary>
public sealed class ScopeScanner(
    InventoryCollector collector,
    RuleCatalog catalog,
    ScanEngine engine,
    IReportStore store,
    ScopeErrors scopeErrors,
    RunCompletion completion,
    IOptions<ScanSettings> settings,
    IOptions<SuppressionOptions> suppressionOptions,
    TimeProvider time,
    ILogger<ScopeScanner> logger)
{
    public async Task ScanAsync(ScopeMessage message, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(message.RunId, cancellationToken);
        if (run is null)
        {
            logger.LogWarning("Run {RunId} does not exist (pruned?): scope {ScopeId} dropped", message.RunId, message.ScopeId);
            return;
        }

        if (run.IsFinalized)
        {
            logger.LogInformation("Run {RunId} is already finalised ({Status}): scope {ScopeId} has nothing left to do", run.RunId, run.Status, message.ScopeId);
            return;
        }

        try
        {
            if (run.FindScope(message.ScopeId) is { Status: not ScopeStatus.Pending })
            {
                // A retried message whose scan had finished: only the finalisation may be missing.
                logger.LogInformation("Scope {ScopeId} of run {RunId} already reported", message.ScopeId, run.RunId);
            }
            else
            {
                run = await CollectAndScanAsync(run, message, cancellationToken);
            }

            if (run.AllScopesDone)
            {
                await completion.TryFinalizeAsync(run.RunId, cancellationToken);
            }
        }
        catch (ReportStoreException) when (!cancellationToken.IsCancellationRequested)
        {
            if (!await IsFinalizedAsync(run.RunId, cancellationToken))
            {
                throw;
            }

            // The run was finalised while this scope ran (a stuck-run sweep): its result came too late.
            logger.LogWarning("Run {RunId} was finalised before scope {ScopeId} reported: its findings are not part of the run", run.RunId, message.ScopeId);
        }
    }

    /// <summary>Records a scope whose message failed every attempt (the poison queue), and finalises the run when it was the last.</summary>
    public async Task RecordPoisonedAsync(ScopeMessage message, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(message.RunId, cancellationToken);
        if (run is null || run.IsFinalized || run.FindScope(message.ScopeId) is { Status: not ScopeStatus.Pending })
        {
            logger.LogWarning("Poisoned message of scope {ScopeId} of run {RunId}: nothing to record (the run is gone, finalised, or the scope reported)", message.ScopeId, message.RunId);
            return;
        }

        Azure.Telemetry.ComplianceMetrics.ScopePoisoned();
        var error = $"the scan of this scope failed on every attempt and its message was moved to the poison queue ({ScopeQueue.PoisonName}); see the function logs of run {run.RunId}";
        logger.LogError("Scope {ScopeId} of run {RunId}: {Error}", message.ScopeId, run.RunId, error);
        try
        {
            run = await scopeErrors.RecordAsync(run, message.ScopeId, message.DisplayName ?? run.FindScope(message.ScopeId)?.DisplayName, error, complete: true, cancellationToken);
            if (run.AllScopesDone)
            {
                await completion.TryFinalizeAsync(run.RunId, cancellationToken);
            }
        }
        catch (ReportStoreException) when (!cancellationToken.IsCancellationRequested)
        {
            if (!await IsFinalizedAsync(run.RunId, cancellationToken))
            {
                throw;
            }

            logger.LogWarning("Run {RunId} was finalised before its poisoned scope {ScopeId} was recorded", run.RunId, message.ScopeId);
        }
    }

    private async Task<RunRecord> CollectAndScanAsync(RunRecord run, ScopeMessage message, CancellationToken cancellationToken)
    {
        var request = message.IsEntra
            ? new CollectionRequest { Subscriptions = [], IncludeEntra = true, ResourceTypes = catalog.EntraTypes }
            : new CollectionRequest
            {
                Subscriptions = [ResourceIds.SubscriptionOf(message.ScopeId) ?? message.ScopeId],
                IncludeEntra = catalog.SubscriptionsNeedGraph,
                ResourceTypes = catalog.SubscriptionTypes,
            };
        var path = Path.Combine(Path.GetTempPath(), $"compliance-{run.RunId}-{Guid.NewGuid():N}.json");
        try
        {
            CollectionResult collected;
            try
            {
                await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                {
                    collected = await collector.CollectAsync(request, output, cancellationToken);
                }
            }
            catch (CollectorConfigurationException ex)
            {
                // The collection cannot start (no usable identity…): retrying will not help; the message says what to do.
                return await scopeErrors.RecordAsync(run, message.ScopeId, message.DisplayName, ex.Message, complete: true, cancellationToken);
            }

            var suppressions = new SuppressionSet(await SuppressionsAsync(cancellationToken), time.GetUtcNow());
            var batch = new List<Finding>(settings.Value.SaveBatchSize);
            var saved = 0;
            using (var reader = SnapshotReader.OpenFile(path, SnapshotFormat.Document))
            {
                await foreach (var finding in engine.ScanAsync(reader, catalog.Rules, cancellationToken: cancellationToken))
                {
                    // Only this scope's findings: the directory objects a subscription's rules count belong to the directory's scope.
                    if (!string.Equals(FindingScopes.ScopeOf(finding, run.TenantId), message.ScopeId, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    batch.Add(suppressions.Apply(finding));
                    if (batch.Count >= settings.Value.SaveBatchSize)
                    {
                        await store.SaveFindingsAsync(run.RunId, message.ScopeId, batch, cancellationToken);
                        saved += batch.Count;
                        batch.Clear();
                    }
                }
            }

            if (batch.Count > 0)
            {
                await store.SaveFindingsAsync(run.RunId, message.ScopeId, batch, cancellationToken);
                saved += batch.Count;
            }

            var scope = collected.Scopes.FirstOrDefault(s => string.Equals(s.Id, message.ScopeId, StringComparison.OrdinalIgnoreCase));
            var completion = scope is null || !scope.IsError
                ? new ScopeCompletion(message.ScopeId, ScopeStatus.Ok, time.GetUtcNow(), null, scope?.DisplayName ?? message.DisplayName)
                : new ScopeCompletion(message.ScopeId, ScopeStatus.Error, time.GetUtcNow(), scope.Error, scope.DisplayName ?? message.DisplayName);
            logger.LogInformation("Scope {ScopeId} of run {RunId}: {Status}, {Resources} resource(s) read, {Findings} finding(s) stored", message.ScopeId, run.RunId, completion.Status, collected.ResourceCount, saved);
            return await store.CompleteScopeAsync(run.RunId, completion, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<IReadOnlyList<Suppression>> SuppressionsAsync(CancellationToken cancellationToken)
    {
        var fromStore = await store.ListSuppressionsAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(settings.Value.SuppressionsFile))
        {
            return fromStore;
        }

        var fromFile = SuppressionFile.Load(ScanSettings.Resolve(settings.Value.SuppressionsFile), time.GetUtcNow(), suppressionOptions.Value);
        return [.. fromFile, .. fromStore.Where(s => !fromFile.Any(f => f.Id == s.Id))];
    }

    private async Task<bool> IsFinalizedAsync(string runId, CancellationToken cancellationToken) =>
        (await store.GetRunAsync(runId, cancellationToken))?.IsFinalized ?? true;
}
