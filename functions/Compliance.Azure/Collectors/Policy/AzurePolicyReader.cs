using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using Compliance.Azure.Collectors.Arm;
using Compliance.Azure.Collectors.Clouds;
using Compliance.Azure.Collectors.Http;

namespace Compliance.Azure.Collectors.Policy;

/// <summary>A policy assignment as ARM returns it: what it assigns and the parameter values it gives.</summary>
/// <param name="Id">The assignment's resource id.</param>
/// <param name="DisplayName">Its display name (or name).</param>
/// <param name="DefinitionId">properties.policyDefinitionId: a policy definition or a policy set definition.</param>
/// <param name="Parameters">properties.parameters, name → value.</param>
/// <param name="Scope">properties.scope.</param>
/// <param name="NotScopes">properties.notScopes: what the assignment leaves out.</param>
public sealed record LivePolicyAssignment(string Id, string DisplayName, string DefinitionId, IReadOnlyDictionary<string, JsonElement> Parameters, string? Scope, IReadOnlyList<string> NotScopes);

/// <summary>What a tenant has assigned: the assignments, and every definition and initiative they need, as ARM returned them.</summary>
/// <param name="Assignments">The assignments at the scopes read (and those inherited from above, <c>$filter=atScope()</c>).</param>
/// <param name="Documents">Each definition and initiative: its ARM id and the JSON body of the GET.</param>
public sealed record LivePolicyEstate(IReadOnlyList<LivePolicyAssignment> Assignments, IReadOnlyList<(string Id, byte[] Json)> Documents);

/// <summary>
/// Reads Azure Policy metadata from Azure Resource Manager for <c>compliance policy</c>: the
/// assignments of subscriptions or a management group with the definitions and initiatives they
/// assign (Microsoft.Authorization 2023-04-01), and the resource providers' aliases
/// (<c>GET /providers?$expand=resourceTypes/aliases</c>, Microsoft.Resources 2021-04-01). Every call
/// goes through the collectors' ARM pipeline (retries, Retry-After, the injected transport).
/// </summary>
public sealed class AzurePolicyReader
{
    /// <summary>The API version of policy assignments, definitions and set definitions.</summary>
    public const string PolicyApiVersion = "2023-04-01";

    /// <summary>The API version of the resource provider list with aliases.</summary>
    public const string ProvidersApiVersion = "2021-04-01";

    private readonly Lazy<ArmClient> _arm;
    private readonly TokenCredential _credential;

    internal AzurePolicyReader(AzureCloud cloud, TokenCredential credential, CollectorRetryOptions retry, CollectorTransport? transport, TimeProvider time)
    {
        Cloud = cloud;
        _credential = credential;
        _arm = new(() => new ArmClient(
            AzurePipelines.Build(ServiceKind.ResourceManager, credential, cloud.ResourceManagerScope, retry, time, transport, null),
            cloud.ResourceManager,
            retry,
            time));
    }

    public AzureCloud Cloud { get; }

    /// <summary>The scope of a subscription for <see cref="ReadAssignedAsync"/>.</summary>
    public static string SubscriptionScope(string subscriptionId) => "/subscriptions/" + subscriptionId.Trim().Trim('/');

    /// <summary>The scope of a management group for <see cref="ReadAssignedAsync"/>.</summary>
    public static string ManagementGroupScope(string managementGroupId) => "/providers/Microsoft.Management/managementGroups/" + managementGroupId.Trim().Trim('/');

    /// <summary>
    /// The assignments of each scope (with those inherited from above it) and the definitions and
    /// initiatives they assign, each initiative's members included. A call that fails throws
    /// <see cref="CollectorConfigurationException"/> saying which scope or definition and what to grant.
    /// </summary>
    public async Task<LivePolicyEstate> ReadAssignedAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        await EnsureCredentialAsync(cancellationToken).ConfigureAwait(false);
        var assignments = new Dictionary<string, LivePolicyAssignment>(StringComparer.OrdinalIgnoreCase);
        foreach (var scope in scopes)
        {
            var path = $"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/policyAssignments?$filter=atScope()&api-version={PolicyApiVersion}";
            await foreach (var page in List(path, $"the policy assignments of {scope}", scope, cancellationToken).ConfigureAwait(false))
            {
                using (page)
                {
                    foreach (var item in page.Items)
                    {
                        if (Assignment(item) is { } assignment)
                        {
                            assignments.TryAdd(assignment.Id, assignment);
                        }
                    }
                }
            }
        }

        var documents = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var definitionId in assignments.Values.Select(a => a.DefinitionId).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var body = await GetAsync(definitionId, cancellationToken).ConfigureAwait(false);
            documents[definitionId] = body;
            if (definitionId.Contains("/policySetDefinitions/", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var memberId in MembersOf(body))
                {
                    if (!documents.ContainsKey(memberId))
                    {
                        documents[memberId] = await GetAsync(memberId, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        return new LivePolicyEstate([.. assignments.Values], [.. documents.Select(d => (d.Key, d.Value))]);
    }

    /// <summary>Every alias of every resource type the providers report (tenant level, <c>GET /providers?$expand=resourceTypes/aliases</c>): (type, alias, default path).</summary>
    public async Task<IReadOnlyList<(string Type, string Alias, string Path)>> ReadAliasesAsync(CancellationToken cancellationToken)
    {
        await EnsureCredentialAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<(string, string, string)>();
        var path = $"providers?$expand=resourceTypes/aliases&api-version={ProvidersApiVersion}";
        await foreach (var page in List(path, "the resource providers and their aliases", "the tenant", cancellationToken, typeRequired: false).ConfigureAwait(false))
        {
            using (page)
            {
                foreach (var provider in page.Items)
                {
                    var ns = Text(provider, "namespace");
                    if (ns is null || !provider.TryGetProperty("resourceTypes", out var types) || types.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var type in types.EnumerateArray())
                    {
                        if (Text(type, "resourceType") is not { } name || !type.TryGetProperty("aliases", out var aliases) || aliases.ValueKind != JsonValueKind.Array)
                        {
                            continue;
                        }

                        foreach (var alias in aliases.EnumerateArray())
                        {
                            if (Text(alias, "name") is { } aliasName && DefaultPath(alias) is { } aliasPath)
                            {
                                entries.Add(($"{ns}/{name}", aliasName, aliasPath));
                            }
                        }
                    }
                }
            }
        }

        return entries;
    }

    /// <summary>defaultPath (the Alias schema of Microsoft.Resources 2021-04-01), else the first of paths[].</summary>
    private static string? DefaultPath(JsonElement alias)
    {
        if (Text(alias, "defaultPath") is { Length: > 0 } path)
        {
            return path;
        }

        return alias.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Array
            ? paths.EnumerateArray().Select(p => Text(p, "path")).FirstOrDefault(p => !string.IsNullOrEmpty(p))
            : null;
    }

    private static LivePolicyAssignment? Assignment(JsonElement item)
    {
        var id = Text(item, "id");
        if (id is null || !item.TryGetProperty("properties", out var properties) || Text(properties, "policyDefinitionId") is not { } definitionId)
        {
            return null;
        }

        var parameters = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (properties.TryGetProperty("parameters", out var given) && given.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in given.EnumerateObject())
            {
                if (parameter.Value.ValueKind == JsonValueKind.Object && parameter.Value.TryGetProperty("value", out var value))
                {
                    parameters[parameter.Name] = value.Clone();
                }
            }
        }

        var notScopes = properties.TryGetProperty("notScopes", out var excluded) && excluded.ValueKind == JsonValueKind.Array
            ? excluded.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!).ToList()
            : [];
        return new LivePolicyAssignment(id, Text(properties, "displayName") ?? Text(item, "name") ?? id, definitionId, parameters, Text(properties, "scope"), notScopes);
    }

    private static IEnumerable<string> MembersOf(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var properties = root.TryGetProperty("properties", out var p) ? p : root;
        if (!properties.TryGetProperty("policyDefinitions", out var members) || members.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. members.EnumerateArray().Select(m => Text(m, "policyDefinitionId")).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private async Task<byte[]> GetAsync(string id, CancellationToken cancellationToken)
    {
        var path = $"{id.TrimEnd('/')}?api-version={PolicyApiVersion}";
        await foreach (var page in List(path, $"policy definition {id}", id, cancellationToken, typeRequired: false).ConfigureAwait(false))
        {
            using (page)
            {
                return Encoding.UTF8.GetBytes(page.Items[0].GetRawText());
            }
        }

        throw new CollectorConfigurationException($"Azure Resource Manager returned nothing for {id}.");
    }

    private async IAsyncEnumerable<ArmPage> List(string path, string what, string scope, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, bool typeRequired = true)
    {
        var pages = _arm.Value.ListAsync(path, what, typeRequired, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ArmPage page;
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    page = pages.Current;
                }
                catch (AzureCallException ex)
                {
                    var hint = ex.Status is 401 or 403
                        ? $": the identity needs Reader (which includes Microsoft.Authorization/policyAssignments/read and policyDefinitions/read) on {scope}"
                        : ex.Status == 404 ? $": {scope} does not exist or is not visible to the identity" : string.Empty;
                    throw new CollectorConfigurationException($"Could not read {what}: {ex.Message}{hint}.", ex);
                }

                yield return page;
            }
        }
        finally
        {
            await pages.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task EnsureCredentialAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _credential.GetTokenAsync(new TokenRequestContext([Cloud.ResourceManagerScope]), cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new CollectorConfigurationException(CollectionMessages.NoCredential("Azure Resource Manager", ex.Message.Split('\n')[0]), ex);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
