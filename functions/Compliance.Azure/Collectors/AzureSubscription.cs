namespace Compliance.Azure.Collectors;

/// <summary>A subscription the scanner's identity can see.</summary>
/// <param name="SubscriptionId">The subscription GUID (lower case).</param>
/// <param name="DisplayName">Its name, when known.</param>
/// <param name="State">Enabled, Warned, PastDue, Disabled, Deleted — when known.</param>
/// <param name="TenantId">The tenant it belongs to, when known.</param>
public sealed record AzureSubscription(string SubscriptionId, string? DisplayName, string? State, string? TenantId)
{
    /// <summary>The snapshot scope id: "/subscriptions/{id}".</summary>
    public string ScopeId => Core.Snapshots.ResourceIds.SubscriptionScopeId(SubscriptionId);
}
