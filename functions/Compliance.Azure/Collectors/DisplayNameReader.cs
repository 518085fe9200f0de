using System.Text.Json;
using Compliance.Azure.Collectors.Arm;
using Compliance.Azure.Collectors.Http;
using Microsoft.Graph;
using Microsoft.Graph.DirectoryObjects.GetByIds;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace Compliance.Azure.Collectors;

/// <summary>
/// Reads what the ids in role assignments are called, before the collection writes anything, for the
/// snapshot's <c>displayNames</c>: Azure role assignments' principals and role definitions (ARM's role
/// assignment list of each subscription, then the role definition list of each subscription that
/// holds an unnamed role — api-version 2022-04-01), and directory role assignments' principals and roles
/// (Graph roleManagement/directory); principals are named by Graph's directoryObjects/getByIds
/// (at most 1000 ids a call, application permission Directory.Read.All; Microsoft Learn,
/// "directoryObject: getByIds"). A user is called by its mail, else its user principal name; anything
/// else by its display name. Names only change how findings read, never a verdict: what cannot be
/// read is a warning, and messages then show the ids.
/// </summary>
internal sealed class DisplayNameReader(ArmClient? arm, GraphServiceClient? graph, int armConcurrency)
{
    /// <summary>The Microsoft.Authorization api-version of the role assignment and role definition lists.</summary>
    internal const string ApiVersion = "2022-04-01";
    internal const string AzureRoleAssignmentType = "microsoft.authorization/roleassignments";
    private const int IdsPerCall = 1000;

    public Dictionary<string, string> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Warnings { get; } = [];

    /// <summary>Reads the names; <paramref name="subscriptions"/> are those whose Azure role assignments are named.</summary>
    public async Task ReadAsync(IReadOnlyList<string> subscriptions, bool directoryRoles, CancellationToken cancellationToken)
    {
        var principals = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var roles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase); // role GUID → a subscription that uses it
        if (arm is not null && subscriptions.Count > 0)
        {
            await ReadAzureAssignmentsAsync(subscriptions, principals, roles, cancellationToken).ConfigureAwait(false);
            await NameAzureRolesAsync(roles, cancellationToken).ConfigureAwait(false);
        }

        if (graph is null)
        {
            return;
        }

        if (directoryRoles)
        {
            await ReadDirectoryRolesAsync(principals, cancellationToken).ConfigureAwait(false);
        }

        await NamePrincipalsAsync(principals, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Each subscription's role assignments from ARM (Role Assignments - List For Subscription), a few
    /// at a time: ARM, not Resource Graph, so that naming spends none of the Resource Graph quota the
    /// collection itself needs.
    /// </summary>
    private async Task ReadAzureAssignmentsAsync(IReadOnlyList<string> subscriptions, HashSet<string> principals, Dictionary<string, string> roles, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        await Parallel.ForEachAsync(
            subscriptions,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, armConcurrency), CancellationToken = cancellationToken },
            async (subscription, token) =>
            {
                var what = $"the role assignments of subscription {subscription}";
                try
                {
                    await foreach (var page in arm!.ListAsync($"subscriptions/{subscription}/providers/Microsoft.Authorization/roleAssignments?api-version={ApiVersion}", what, typeRequired: false, token).ConfigureAwait(false))
                    {
                        using (page)
                        {
                            lock (gate)
                            {
                                foreach (var item in page.Items)
                                {
                                    if (!item.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
                                    {
                                        continue;
                                    }

                                    if (Text(properties, "principalId") is { } principal)
                                    {
                                        principals.Add(principal);
                                    }

                                    if (Text(properties, "roleDefinitionId") is { } role)
                                    {
                                        roles.TryAdd(Core.Snapshots.ResourceIds.LastSegment(role), subscription);
                                    }
                                }
                            }
                        }
                    }
                }
                catch (AzureCallException ex)
                {
                    lock (gate)
                    {
                        Warnings.Add($"role assignment names were not read from {what}: {ex.Message}; messages show their ids");
                    }
                }
            }).ConfigureAwait(false);
    }

    /// <summary>Lists the role definitions of each subscription that holds a role not yet named (built-in roles come with the first).</summary>
    private async Task NameAzureRolesAsync(Dictionary<string, string> roles, CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (role, subscription) in roles)
        {
            if (Names.ContainsKey(role) || !listed.Add(subscription))
            {
                continue;
            }

            var what = $"the role definitions of subscription {subscription}";
            try
            {
                await foreach (var page in arm!.ListAsync($"subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions?api-version={ApiVersion}", what, typeRequired: false, cancellationToken).ConfigureAwait(false))
                {
                    using (page)
                    {
                        foreach (var item in page.Items)
                        {
                            if (Text(item, "name") is { } name && item.TryGetProperty("properties", out var properties) && Text(properties, "roleName") is { } roleName)
                            {
                                Names.TryAdd(name, roleName);
                            }
                        }
                    }
                }
            }
            catch (AzureCallException ex)
            {
                Warnings.Add($"role names were not read from {what}: {ex.Message}; messages show role ids");
            }
        }
    }

    private async Task ReadDirectoryRolesAsync(HashSet<string> principals, CancellationToken cancellationToken)
    {
        try
        {
            var definitions = await graph!.RoleManagement.Directory.RoleDefinitions.GetAsync(r => r.QueryParameters.Select = ["id", "templateId", "displayName"], cancellationToken).ConfigureAwait(false);
            await PageIterator<UnifiedRoleDefinition, UnifiedRoleDefinitionCollectionResponse>.CreatePageIterator(graph, definitions!, definition =>
            {
                if (definition.DisplayName is { } name)
                {
                    // Assignments name a built-in role by its template id; the definition's id is the same for built-ins.
                    foreach (var id in new[] { definition.Id, definition.TemplateId }.OfType<string>())
                    {
                        Names.TryAdd(id, name);
                    }
                }

                return true;
            }).IterateAsync(cancellationToken).ConfigureAwait(false);

            var assignments = await graph.RoleManagement.Directory.RoleAssignments.GetAsync(r => r.QueryParameters.Select = ["id", "principalId"], cancellationToken).ConfigureAwait(false);
            await PageIterator<UnifiedRoleAssignment, UnifiedRoleAssignmentCollectionResponse>.CreatePageIterator(graph, assignments!, assignment =>
            {
                if (assignment.PrincipalId is { } principal)
                {
                    principals.Add(principal);
                }

                return true;
            }).IterateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ODataError or AzureCallException or Microsoft.Kiota.Abstractions.ApiException or global::Azure.Identity.AuthenticationFailedException)
        {
            Warnings.Add($"directory role names were not read ({ErrorBody.Shorten(ex.Message)}); messages show role ids");
        }
    }

    private async Task NamePrincipalsAsync(HashSet<string> principals, CancellationToken cancellationToken)
    {
        foreach (var chunk in principals.Order(StringComparer.OrdinalIgnoreCase).Chunk(IdsPerCall))
        {
            try
            {
                var body = new GetByIdsPostRequestBody { Ids = [.. chunk], Types = ["user", "group", "servicePrincipal"] };
                var answer = await graph!.DirectoryObjects.GetByIds.PostAsGetByIdsPostResponseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                foreach (var item in answer?.Value ?? [])
                {
                    var name = item switch
                    {
                        User user => user.Mail ?? user.UserPrincipalName ?? user.DisplayName,
                        Group group => group.DisplayName,
                        ServicePrincipal principal => principal.DisplayName,
                        _ => null,
                    };
                    if (item.Id is { } id && !string.IsNullOrEmpty(name))
                    {
                        Names.TryAdd(id, name);
                    }
                }
            }
            catch (Exception ex) when (ex is ODataError or AzureCallException or Microsoft.Kiota.Abstractions.ApiException or global::Azure.Identity.AuthenticationFailedException)
            {
                Warnings.Add($"principal names were not read (directoryObjects/getByIds needs Directory.Read.All: {ErrorBody.Shorten(ex.Message)}); messages show principal ids");
                return;
            }
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
