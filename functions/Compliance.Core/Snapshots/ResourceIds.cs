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

    /// <summary>
    /// Whether <paramref name="id"/> has the shape of a scope or resource id, the only ids that can
    /// have children: "/subscriptions/{s}", "/subscriptions/{s}/resourceGroups/{rg}", or a path whose
    /// last "providers" segment is followed by a namespace and type/name pairs
    /// (".../providers/Microsoft.Web/sites/app", ".../sites/app/slots/staging",
    /// "/providers/Microsoft.Management/managementGroups/mg"). Case-insensitive, as ids are.
    /// </summary>
    public static bool IsParentShaped(ReadOnlySpan<char> id)
    {
        if (id.Length < 2 || id[0] != '/' || id[^1] == '/')
        {
            return false;
        }

        var segments = 0;
        var afterProviders = -1;
        var first = ReadOnlySpan<char>.Empty;
        var third = ReadOnlySpan<char>.Empty;
        foreach (var range in id[1..].Split('/'))
        {
            var segment = id[1..][range];
            if (segment.IsEmpty)
            {
                return false;
            }

            segments++;
            if (segments == 1)
            {
                first = segment;
            }
            else if (segments == 3)
            {
                third = segment;
            }

            afterProviders = segment.Equals("providers", StringComparison.OrdinalIgnoreCase) ? 0 : afterProviders < 0 ? -1 : afterProviders + 1;
        }

        var subscription = first.Equals("subscriptions", StringComparison.OrdinalIgnoreCase);
        return (subscription && segments == 2)
            || (subscription && segments == 4 && third.Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
            || (afterProviders >= 3 && afterProviders % 2 == 1);
    }

    /// <summary>
    /// The lengths of the proper prefixes of <paramref name="id"/> that are parent-shaped
    /// (<see cref="IsParentShaped"/>): the ids of the scopes and resources it may be a child of.
    /// </summary>
    public static void ParentLengths(string id, List<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(lengths);
        lengths.Clear();
        for (var slash = id.IndexOf('/', 1); slash > 0; slash = id.IndexOf('/', slash + 1))
        {
            if (IsParentShaped(id.AsSpan(0, slash)))
            {
                lengths.Add(slash);
            }
        }
    }
}
