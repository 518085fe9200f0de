namespace Compliance.Core.Snapshots;

/// <summary>Facts read off Azure resource ids and types.</summary>
public static class ResourceIds
{
    /// <summary>Microsoft Graph objects in a snapshot have types "microsoft.graph/&lt;collection&gt;".</summary>
    public const string GraphTypePrefix = "microsoft.graph/";

    public const string SubscriptionType = "Microsoft.Resources/subscriptions";

    public const string OrganizationType = "microsoft.graph/organization";

    /// <summary>The id of the Entra ID scope of a tenant in a snapshot's scope list.</summary>
    public static string EntraScopeId(string tenantId) => "/tenants/" + tenantId;

    public static string? SubscriptionOf(string id)
    {
        const string Prefix = "/subscriptions/";
        if (!id.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var end = id.IndexOf('/', Prefix.Length);
        var sub = end < 0 ? id[Prefix.Length..] : id[Prefix.Length..end];
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
