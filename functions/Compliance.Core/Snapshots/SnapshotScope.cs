namespace Compliance.Core.Snapshots;

/// <summary>
/// A part of the tenant the collector read (a subscription, or the Entra ID directory as
/// "/tenants/{tenantId}"), and whether it read all of it.
/// </summary>
/// <param name="Id">"/subscriptions/{id}" or "/tenants/{tenantId}".</param>
/// <param name="Status">"ok" or "error".</param>
/// <param name="Error">What went wrong, in words a person can act on.</param>
/// <param name="DisplayName">The subscription's or tenant's name, when known.</param>
public sealed record SnapshotScope(string Id, string Status, string? Error = null, string? DisplayName = null)
{
    public const string Ok = "ok";
    public const string Failed = "error";

    public bool IsError => string.Equals(Status, Failed, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this scope holds the resource: ARM ids below the scope id; Graph objects in the tenant scope.</summary>
    public bool Contains(SnapshotResource resource) =>
        resource.IsGraphObject
            ? Id.StartsWith("/tenants/", StringComparison.OrdinalIgnoreCase)
            : ResourceIds.IsWithin(resource.Id, Id);
}
