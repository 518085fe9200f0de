using Compliance.Azure.Collectors;
using Compliance.Core.Snapshots;
using Compliance.Functions.Runs;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Scanning;

/// <summary>
/// Starts a scheduled run through the run pipeline: lists the subscriptions (or takes the configured
/// ones), starts the run with every scope it expects, and says which scope messages to enqueue —
/// one for the directory (first: it shares its read with the others), one per subscription.
/// </summary>
public sealed class RunStarter(
    InventoryCollector collector,
    RuleCatalog catalog,
    RunRecorder recorder,
    IOptions<ScanSettings> settings,
    IOptions<AzureConnectionOptions> connection,
    TimeProvider time,
    ILogger<RunStarter> logger)
{
    /// <summary>The scope a run records when the subscription list itself could not be read.</summary>
    public const string SubscriptionListScope = "/subscriptions";

    public async Task<(RunRecord Run, IReadOnlyList<ScopeMessage> Messages)> StartAsync(string trigger, CancellationToken cancellationToken)
    {
        var tenantId = connection.Value.TenantId!.Trim();

        // A run records a tenant only once the identity has signed in to it (a token for another tenant is refused).
        await collector.VerifySignInAsync(cancellationToken);
        var startedAt = time.GetUtcNow();
        var scopes = new List<RunScopeStart>();
        string? listError = null;
        if (settings.Value.Subscriptions.Count > 0)
        {
            scopes.AddRange(settings.Value.Subscriptions
                .Select(s => ResourceIds.SubscriptionOf(s.Trim()) ?? s.Trim().ToLowerInvariant())
                .Distinct(StringComparer.Ordinal)
                .Select(id => new RunScopeStart(ResourceIds.SubscriptionScopeId(id))));
        }
        else
        {
            try
            {
                var visible = await collector.ListSubscriptionsAsync(cancellationToken);
                foreach (var subscription in visible.OrderBy(s => s.SubscriptionId, StringComparer.Ordinal))
                {
                    if (subscription.State is "Disabled" or "Deleted")
                    {
                        logger.LogInformation("Subscription {SubscriptionId} is {State}: not scanned", subscription.SubscriptionId, subscription.State);
                        continue;
                    }

                    scopes.Add(new RunScopeStart(subscription.ScopeId, subscription.DisplayName));
                }
            }
            catch (CollectorConfigurationException ex)
            {
                // The run still happens (the directory can be read) and says loudly what it could not see.
                listError = $"the subscriptions to scan could not be listed ({ex.InnerException?.Message ?? ex.Message}); give the app's identity Reader on the management group, or list them in Scan:Subscriptions";
                logger.LogError("Run without subscriptions: {Error}", listError);
            }
        }

        if (settings.Value.IncludeEntra && catalog.NeedsEntra)
        {
            scopes.Add(new RunScopeStart(ResourceIds.EntraScopeId(tenantId)));
        }

        var run = await recorder.StartAsync(
            new RunStart
            {
                RunId = RunIds.New(startedAt),
                TenantId = tenantId,
                StartedAt = startedAt,
                ExpectedScopes = scopes,
                Packs = catalog.Packs,
                RuleIds = catalog.RuleIds,
                Trigger = trigger,
                Provenance = new RunProvenance { ToolVersion = EvidencePublisher.ToolVersion, Parameters = catalog.Parameters },
            },
            cancellationToken);
        if (listError is not null)
        {
            run = await recorder.RecordScopeErrorAsync(run, SubscriptionListScope, "the subscription list", listError, catalog.Rules, complete: true, cancellationToken);
        }

        logger.LogInformation("Run {RunId} of tenant {TenantId} started ({Trigger}): {Count} scope(s) to scan", run.RunId, tenantId, trigger, scopes.Count);
        if (run.AllScopesDone)
        {
            // Nothing to fan out (no subscription visible, no directory rules): finalise now.
            await recorder.FinishAsync(run.RunId, settings.Value.FinalizeFor(run), cancellationToken);
            return (run, []);
        }

        // The directory first: the subscription scans wait for the directory read it shares.
        return (run, scopes.OrderBy(s => ResourceIds.IsTenantScope(s.Id) ? 0 : 1).Select(s => new ScopeMessage(run.RunId, tenantId, s.Id, s.DisplayName)).ToList());
    }
}
