using Azure.Core;
using Azure.Identity;
using Compliance.Azure.Collectors.Arm;
using Compliance.Azure.Collectors.Clouds;
using Compliance.Azure.Collectors.Graph;
using Compliance.Azure.Collectors.Http;
using Compliance.Azure.Collectors.ResourceGraph;
using Compliance.Core.Snapshots;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;

namespace Compliance.Azure.Collectors;

/// <summary>
/// The live inventory source: reads a tenant's Azure resources (Resource Graph, and ARM for the
/// child resources Resource Graph does not index) and its Entra ID directory (Microsoft Graph) into
/// a snapshot written as a stream. Every scope ends "ok" or "error" with a message a person can act
/// on. A singleton: its HTTP pipelines and Graph client are built once, on first use.
/// </summary>
public sealed class InventoryCollector
{
    private readonly AzureConnectionOptions _connection;
    private readonly ResourceGraphOptions _resourceGraphOptions;
    private readonly ArmOptions _armOptions;
    private readonly GraphOptions _graphOptions;
    private readonly CollectorRetryOptions _retry;
    private readonly TokenCredential _credential;
    private readonly CollectorTransport? _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lazy<ResourceGraphClient> _resourceGraph;
    private readonly Lazy<ArmClient> _arm;
    private readonly Lazy<GraphServiceClient> _graph;

    internal InventoryCollector(
        AzureConnectionOptions connection,
        ResourceGraphOptions resourceGraphOptions,
        ArmOptions armOptions,
        GraphOptions graphOptions,
        CollectorRetryOptions retry,
        TokenCredential credential,
        CollectorTransport? transport,
        TimeProvider time,
        ILogger logger,
        IQuotaGate? quotaGate = null)
    {
        if (!AzureCloud.TryParse(connection.Cloud, out var cloud))
        {
            throw new CollectorConfigurationException($"Unknown cloud '{connection.Cloud}' (Collectors:Azure:Cloud / --cloud): use public, usgov or china.");
        }

        Cloud = cloud;
        _connection = connection;
        _resourceGraphOptions = resourceGraphOptions;
        _armOptions = armOptions;
        _graphOptions = graphOptions;
        _retry = retry;
        _credential = credential;
        _transport = transport;
        _time = time;
        _logger = logger;

        // Resource Graph and ARM each get a pipeline: the quota headers pace Resource Graph only, through
        // the gate shared by the app's instances when there is one, else this process's own.
        _resourceGraph = new(() => new ResourceGraphClient(
            AzurePipelines.Build(ServiceKind.ResourceGraph, credential, cloud.ResourceManagerScope, retry, time, transport, quotaGate ?? new QuotaGate(time, Math.Max(0, resourceGraphOptions.MaxConcurrency - 1))),
            cloud.ResourceManager,
            resourceGraphOptions,
            retry,
            time));
        _arm = new(() => new ArmClient(
            AzurePipelines.Build(ServiceKind.ResourceManager, credential, cloud.ResourceManagerScope, retry, time, transport, null),
            cloud.ResourceManager,
            retry,
            time));
        _graph = new(() => GraphClients.Create(credential, cloud, retry, time, transport));
    }

    /// <summary>The cloud whose endpoints the collectors call.</summary>
    public AzureCloud Cloud { get; }

    /// <summary>
    /// Collects what <paramref name="request"/> asks for into <paramref name="output"/>. A scope that
    /// cannot be read completely is reported as an error in the snapshot and the result, never as
    /// complete. Throws <see cref="CollectorConfigurationException"/> when the collection cannot start
    /// (no usable credential, the subscription list cannot be read).
    /// </summary>
    public async Task<CollectionResult> CollectAsync(CollectionRequest request, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var statistics = new CollectionStatistics();
        CollectionStatistics.Current = statistics;
        var started = _time.GetTimestamp();
        var collectedAt = _time.GetUtcNow();

        var plan = CollectionPlan.Create(request.ResourceTypes, request.RelatedReads);
        var readAzure = plan.NeedsAzure && request.Subscriptions is not { Count: 0 };
        var readEntra = request.IncludeEntra && plan.NeedsEntra;
        if (readAzure)
        {
            await EnsureCredentialAsync(Cloud.ResourceManagerScope, "Azure Resource Manager", cancellationToken).ConfigureAwait(false);
        }

        if (readEntra)
        {
            await EnsureCredentialAsync(Cloud.MicrosoftGraphScope, "Microsoft Graph", cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<AzureSubscription> subscriptions = [];
        if (readAzure)
        {
            subscriptions = request.Subscriptions is null
                ? await ListSubscriptionsCoreAsync(cancellationToken).ConfigureAwait(false)
                : [.. request.Subscriptions.Select(NormalizeSubscriptionId).Distinct(StringComparer.Ordinal).Select(id => new AzureSubscription(id, null, null, null))];
        }

        var tenantId = NullIfEmpty(_connection.TenantId) ?? subscriptions.Select(s => s.TenantId).FirstOrDefault(t => t is not null);

        // What role assignments' ids are called, for the findings' messages: read first, written before the resources.
        var azureAssignments = readAzure && plan.Queries.Any(q => q.Types.Contains(DisplayNameReader.AzureRoleAssignmentType, StringComparer.OrdinalIgnoreCase));
        var directoryAssignments = readEntra && plan.Datasets.Contains(GraphDataset.RoleAssignments);
        var names = new DisplayNameReader(
            azureAssignments ? _arm.Value : null,
            (azureAssignments && request.IncludeEntra) || directoryAssignments ? _graph.Value : null,
            _armOptions.MaxConcurrency);
        if (azureAssignments || directoryAssignments)
        {
            await names.ReadAsync(azureAssignments ? [.. subscriptions.Select(s => s.SubscriptionId)] : [], directoryAssignments, cancellationToken).ConfigureAwait(false);
        }

        await using var writer = await SnapshotWriter.StartAsync(output, request.Format, collectedAt, tenantId, cancellationToken, plan.Uncollected, names.Names).ConfigureAwait(false);

        var azure = readAzure ? new AzureCollection(_resourceGraph.Value, _arm.Value, _resourceGraphOptions, _armOptions, plan, writer) : null;
        var azureTask = azure is null ? Task.FromResult<IReadOnlyList<SnapshotScope>>([]) : azure.RunAsync(subscriptions, cancellationToken);
        var entraTask = readEntra ? new EntraCollector(_graph.Value, _graphOptions).CollectAsync(plan, writer, cancellationToken) : Task.FromResult<EntraOutcome?>(null)!;
        await Task.WhenAll(azureTask, entraTask).ConfigureAwait(false);

        var scopes = new List<SnapshotScope>(await azureTask.ConfigureAwait(false));
        var entra = await entraTask.ConfigureAwait(false);
        if (entra is not null)
        {
            tenantId ??= entra.TenantId;
            var scopeId = ResourceIds.EntraScopeId(tenantId ?? "unknown-tenant");
            scopes.Add(entra.Errors.Count == 0
                ? new SnapshotScope(scopeId, SnapshotScope.Ok, null, entra.DisplayName)
                : new SnapshotScope(scopeId, SnapshotScope.Failed, string.Join("; ", entra.Errors), entra.DisplayName));
        }

        await writer.CompleteAsync(tenantId, scopes, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> warnings = [.. azure?.Warnings ?? [], .. names.Warnings];
        foreach (var scope in scopes.Where(s => s.IsError))
        {
            _logger.LogWarning("Scope {Scope} could not be collected completely: {Error}", scope.Id, scope.Error);
        }

        return new CollectionResult(tenantId, scopes, writer.ResourceCount, statistics, _time.GetElapsedTime(started), warnings);
    }

    /// <summary>
    /// Signs in to the tenant to scan (a token for Azure Resource Manager); throws
    /// <see cref="CollectorConfigurationException"/> naming what to configure when the identity cannot —
    /// among others when its token is for another tenant. A run is started only after this.
    /// </summary>
    public Task VerifySignInAsync(CancellationToken cancellationToken) =>
        EnsureCredentialAsync(Cloud.ResourceManagerScope, "Azure Resource Manager", cancellationToken);

    /// <summary>Every subscription the scanner's identity can see (ARM GET /subscriptions).</summary>
    public async Task<IReadOnlyList<AzureSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken)
    {
        await EnsureCredentialAsync(Cloud.ResourceManagerScope, "Azure Resource Manager", cancellationToken).ConfigureAwait(false);
        return await ListSubscriptionsCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string NormalizeSubscriptionId(string id)
    {
        var trimmed = id.Trim();
        return (ResourceIds.SubscriptionOf(trimmed) ?? trimmed).ToLowerInvariant();
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private async Task<IReadOnlyList<AzureSubscription>> ListSubscriptionsCoreAsync(CancellationToken cancellationToken)
    {
        var result = new List<AzureSubscription>();
        try
        {
            await foreach (var page in _arm.Value.ListAsync($"subscriptions?api-version={_armOptions.SubscriptionsApiVersion}", "the subscription list", typeRequired: false, cancellationToken).ConfigureAwait(false))
            {
                using (page)
                {
                    foreach (var item in page.Items)
                    {
                        string? Text(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;
                        var id = Text("subscriptionId") ?? ResourceIds.SubscriptionOf(Text("id")!);
                        if (id is not null)
                        {
                            result.Add(new AzureSubscription(id.ToLowerInvariant(), Text("displayName"), Text("state"), Text("tenantId")));
                        }
                    }
                }
            }
        }
        catch (AzureCallException ex)
        {
            throw new CollectorConfigurationException($"Could not list the subscriptions the scanner's identity can see: {ex.Message}. Name them with --subscriptions, or try again later.", ex);
        }

        return result;
    }

    private async Task EnsureCredentialAsync(string scope, string service, CancellationToken cancellationToken)
    {
        try
        {
            await _credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
        }
        catch (Identity.WrongTenantException ex)
        {
            throw new CollectorConfigurationException($"Not signed in to the tenant to scan: {ex.Message}.", ex);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new CollectorConfigurationException(CollectionMessages.NoCredential(service, FirstLine(ex.Message)), ex);
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
