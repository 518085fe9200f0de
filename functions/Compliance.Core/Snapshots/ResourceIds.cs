namespace Compliance.Core.Snapshots;

/// <summary>
/// The one home of what ids and types say: scope ids ("/subscriptions/{id}", "/tenants/{tenantId}"),
/// the subscription of a resource id, and whether a type is a Microsoft Graph collection.
/// </summary>
public static class ResourceIds
{
    /// <summary>Microsoft Graph objects in a snapshot have types "microsoft.graph/&lt;collection&gt;".</summary>
    public const string GraphTypePrefix = "microsoft.graph/";

    public const string SubscriptionType = "Microsoft.Resources/subscriptions";

    public const string OrganizationType = "microsoft.graph/organization";

    /// <summary>Scope ids of a tenant's Entra ID directory start with this.</summary>
    public const string TenantScopePrefix = "/tenants/";

    /// <summary>Scope ids of subscriptions (and ARM resource ids in them) start with this.</summary>
    public const string SubscriptionScopePrefix = "/subscriptions/";

    /// <summary>The id of the Entra ID scope of a tenant in a snapshot's scope list.</summary>
    public static string EntraScopeId(string tenantId) => TenantScopePrefix + tenantId;

    /// <summary>"/subscriptions/{id}" for a subscription id (lower case, as Resource Graph writes it).</summary>
    public static string SubscriptionScopeId(string subscriptionId) => SubscriptionScopePrefix + subscriptionId.ToLowerInvariant();

    /// <summary>Whether a scope id is a tenant's Entra ID directory ("/tenants/…").</summary>
    public static bool IsTenantScope(string scopeId) => scopeId.StartsWith(TenantScopePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a scope id (or resource id) is a subscription or lies in one ("/subscriptions/…").</summary>
    public static bool IsSubscriptionScope(string scopeId) => scopeId.StartsWith(SubscriptionScopePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a resource type is a Microsoft Graph collection ("microsoft.graph/users"), matched case-insensitively.</summary>
    public static bool IsGraphType(string type) => type.StartsWith(GraphTypePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>What a scope is, for people: "the Entra ID directory" or "subscription".</summary>
    public static string ScopeKind(string scopeId) => IsTenantScope(scopeId) ? "the Entra ID directory" : "subscription";

    public static string? SubscriptionOf(string id)
    {
        if (!IsSubscriptionScope(id))
        {
            return null;
        }

        var end = id.IndexOf('/', SubscriptionScopePrefix.Length);
        var sub = end < 0 ? id[SubscriptionScopePrefix.Length..] : id[SubscriptionScopePrefix.Length..end];
        return sub.Length == 0 ? null : sub.ToLowerInvariant();
    }

    /// <summary>
    /// "/subscriptions/{s}/resourceGroups/{rg}" of a resource in a resource group (or of the group
    /// itself), null for anything else (a subscription, a tenant-level resource, a Graph object).
    /// </summary>
    public static string? ResourceGroupIdOf(string id)
    {
        const string Prefix = "/subscriptions/";
        const string Groups = "/resourceGroups/";
        if (!id.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var afterSubscription = id.IndexOf('/', Prefix.Length);
        if (afterSubscription < 0 || string.Compare(id, afterSubscription, Groups, 0, Groups.Length, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return null;
        }

        var nameStart = afterSubscription + Groups.Length;
        var end = id.IndexOf('/', nameStart);
        var groupId = end < 0 ? id : id[..end];
        return groupId.Length > nameStart ? groupId : null;
    }

    public static string LastSegment(string id)
    {
        var trimmed = id.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    /// <summary>Whether the last segment of <paramref name="id"/> is <paramref name="name"/>, without allocating.</summary>
    public static bool LastSegmentEquals(string id, string name)
    {
        var trimmed = id.AsSpan().TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return trimmed[(slash + 1)..].SequenceEqual(name);
    }

    /// <summary>Whether <paramref name="id"/> is <paramref name="scopeId"/> or lies below it.</summary>
    public static bool IsWithin(string id, string scopeId) =>
        id.StartsWith(scopeId, StringComparison.OrdinalIgnoreCase) &&
        (id.Length == scopeId.Length || id[scopeId.Length] == '/');
}
