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

    public bool IsTenant => ResourceIds.IsTenantScope(Id);

    /// <summary>Whether this scope holds the resource: ARM ids below the scope id; Graph objects in the tenant scope.</summary>
    public bool Contains(SnapshotResource resource) =>
        resource.IsGraphObject
            ? IsTenant
            : ResourceIds.IsWithin(resource.Id, Id);

    /// <summary>
    /// The same scope listed twice: the worse status wins (an error is never hidden by a later ok),
    /// with the errors of both and the first display name known.
    /// </summary>
    public SnapshotScope Merge(SnapshotScope other)
    {
        var error = (IsError, other.IsError) switch
        {
            (true, true) when !string.Equals(Error, other.Error, StringComparison.Ordinal) => $"{Error}; {other.Error}",
            (true, _) => Error,
            (_, true) => other.Error,
            _ => null,
        };
        return new SnapshotScope(Id, IsError || other.IsError ? Failed : Ok, error, DisplayName ?? other.DisplayName);
    }

    /// <summary>For people: "subscription 'Prod' (/subscriptions/…)" or "the Entra ID directory (/tenants/…)".</summary>
    public string Describe() => Describe(Id, DisplayName);

    public static string Describe(string id, string? displayName)
    {
        var kind = ResourceIds.ScopeKind(id);
        return displayName is null ? $"{kind} {id}" : $"{kind} '{displayName}' ({id})";
    }
}
