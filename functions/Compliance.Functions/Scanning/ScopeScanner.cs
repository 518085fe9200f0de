using System.Security.Cryptography;
using Compliance.Azure.Collectors;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Scanning;

/// <summary>
/// Scans one scope of a run: collects it into a temporary snapshot, then hands it to the run
/// pipeline the CLI uses (<see cref="RunRecorder"/>: the engine, suppressions, findings keyed by
/// run and finding id so a retried message replaces, the scope reported with its status), and
/// finishes the run when it was the last scope. The directory is read once per run, by the directory
/// scope's scan, which shares what the subscriptions' rules count (<see cref="DirectoryShare"/>).
/// </summary>
public sealed class ScopeScanner(
    InventoryCollector collector,
    RuleCatalog catalog,
    RunRecorder recorder,
    SuppressionSources suppressionSources,
    DirectoryShare directory,
    IOptions<ScanSettings> settings,
    ILogger<ScopeScanner> logger)
{
    private IReportStore Store => recorder.Store;

    public async Task ScanAsync(ScopeMessage message, CancellationToken cancellationToken)
    {
        var run = await Store.GetRunAsync(message.RunId, cancellationToken);
        if (run is null)
        {
            logger.LogWarning("Run {RunId} does not exist (pruned?): scope {ScopeId} dropped", message.RunId, message.ScopeId);
            return;
        }

        if (run.Status != RunStatus.Running)
        {
            logger.LogInformation(
                "Run {RunId} is {What}: scope {ScopeId} has nothing left to do",
                run.RunId,
                run.IsFinalized ? "already finalised (" + run.Status.ToWire() + ")" : run.Status.ToWire(),
                message.ScopeId);
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
                await FinishAsync(run, cancellationToken);
            }
        }
        catch (ReportStoreException) when (!cancellationToken.IsCancellationRequested)
        {
            if (await IsOpenAsync(run.RunId, cancellationToken))
            {
                throw;
            }

            // The run was finalised while this scope ran (a stuck-run sweep): its result came too late.
            logger.LogWarning("Run {RunId} was finalised before scope {ScopeId} reported: its findings are not part of the run", run.RunId, message.ScopeId);
        }
    }

    /// <summary>Records a scope whose message failed every attempt (the poison queue), and finishes the run when it was the last.</summary>
    public async Task RecordPoisonedAsync(ScopeMessage message, CancellationToken cancellationToken)
    {
        var run = await Store.GetRunAsync(message.RunId, cancellationToken);
        if (run is null || run.Status != RunStatus.Running || run.FindScope(message.ScopeId) is { Status: not ScopeStatus.Pending })
        {
            logger.LogWarning("Poisoned message of scope {ScopeId} of run {RunId}: nothing to record (the run is gone, finalised, or the scope reported)", message.ScopeId, message.RunId);
            return;
        }

        ComplianceMetrics.ScopePoisoned();
        var error = $"the scan of this scope failed on every attempt and its message was moved to the poison queue ({ScopeQueue.PoisonName}); see the function logs of run {run.RunId}";
        logger.LogError("Scope {ScopeId} of run {RunId}: {Error}", message.ScopeId, run.RunId, error);
        try
        {
            if (message.IsEntra && catalog.SubscriptionsNeedGraph)
            {
                // The subscription scans waiting for the directory stop waiting: it will not be read.
                await directory.PublishNotReadAsync(run.RunId, run.TenantId, error, cancellationToken);
            }

            run = await recorder.RecordScopeErrorAsync(run, message.ScopeId, message.DisplayName ?? run.FindScope(message.ScopeId)?.DisplayName, error, catalog.Rules, complete: true, cancellationToken);
            if (run.AllScopesDone)
            {
                await FinishAsync(run, cancellationToken);
            }
        }
        catch (ReportStoreException) when (!cancellationToken.IsCancellationRequested)
        {
            if (await IsOpenAsync(run.RunId, cancellationToken))
            {
                throw;
            }

            logger.LogWarning("Run {RunId} was finalised before its poisoned scope {ScopeId} was recorded", run.RunId, message.ScopeId);
        }
    }

    private async Task<RunRecord> CollectAndScanAsync(RunRecord run, ScopeMessage message, CancellationToken cancellationToken)
    {
        // A subscription's rules that count directory objects get them from the run's directory scan
        // (one read per run); only a run without a directory scope (Scan:IncludeEntra false) has each
        // subscription read them itself.
        var shares = message.IsEntra && catalog.SubscriptionsNeedGraph;
        var request = message.IsEntra
            ? new CollectionRequest { Subscriptions = [], IncludeEntra = true, ResourceTypes = catalog.EntraTypes }
            : new CollectionRequest
            {
                Subscriptions = [ResourceIds.SubscriptionOf(message.ScopeId) ?? message.ScopeId],
                IncludeEntra = catalog.SubscriptionsNeedGraph,
                ResourceTypes = catalog.SubscriptionTypes,
                // The related types the rules count and the types they are counted under (diagnostic
                // settings of each resource of those types, …), as the CLI's collection reads them.
                RelatedReads = CollectionRequest.RelatedReadsOf(catalog.Rules),
                SharedDirectory = run.Scopes.Any(s => ResourceIds.IsTenantScope(s.Id)) ? token => directory.WaitAsync(run.RunId, Store, token) : null,
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
                if (shares)
                {
                    await directory.PublishNotReadAsync(run.RunId, run.TenantId, ex.Message, cancellationToken);
                }

                return await recorder.RecordScopeErrorAsync(run, message.ScopeId, message.DisplayName, ex.Message, catalog.Rules, complete: true, cancellationToken);
            }

            if (shares)
            {
                // Before this scope's own scan: the subscription scans are waiting for it.
                await directory.PublishAsync(run.RunId, path, catalog.SharedDirectoryTypes, cancellationToken);
            }

            string sha256;
            await using (var file = File.OpenRead(path))
            {
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            }

            var suppressions = await suppressionSources.LoadAsync(string.IsNullOrWhiteSpace(settings.Value.SuppressionsFile) ? null : ScanSettings.Resolve(settings.Value.SuppressionsFile), Store, cancellationToken);
            using var reader = SnapshotReader.OpenFile(path, SnapshotFormat.Document);
            var recorded = await recorder.RecordSnapshotAsync(run, reader, catalog.Rules, suppressions, new RecordOptions
            {
                Scan = new ScanOptions(),
                OnlyScope = message.ScopeId,
                ScopeDisplayName = message.DisplayName,
                SnapshotSha256 = sha256,
                BatchSize = settings.Value.SaveBatchSize,
            }, cancellationToken);
            var scope = recorded.Scopes[0];
            logger.LogInformation("Scope {ScopeId} of run {RunId}: {Status}, {Resources} resource(s) read, {Findings} finding(s) stored", message.ScopeId, run.RunId, scope.Status, collected.ResourceCount, recorded.Findings);
            return recorded.Run;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task FinishAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (await recorder.FinishAsync(run.RunId, settings.Value.FinalizeFor(run), cancellationToken) is not null && catalog.SubscriptionsNeedGraph)
        {
            // Every scope has reported: nobody reads the shared directory any more.
            await directory.DeleteAsync(run.RunId, cancellationToken);
        }
    }

    private async Task<bool> IsOpenAsync(string runId, CancellationToken cancellationToken) =>
        (await Store.GetRunAsync(runId, cancellationToken))?.Status == RunStatus.Running;
}
