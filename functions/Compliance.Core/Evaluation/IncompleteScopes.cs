using Compliance.Core.Snapshots;

namespace Compliance.Core.Evaluation;

/// <summary>
/// The scopes a collector could not read completely, and which of them leave a related count of the
/// evaluated resource incomplete: the resource's own scope (its children and its subscription may be
/// missing), or for a tenant-wide count any failed scope that could hold the counted type (the Entra
/// directory for Graph types, a subscription for ARM types). What was read of such a count is a lower
/// bound: the unread resources can only add to it.
/// </summary>
internal sealed class IncompleteScopes
{
    public static readonly IncompleteScopes None = new([]);

    private readonly IReadOnlyList<SnapshotScope> _failed;

    public IncompleteScopes(IReadOnlyList<SnapshotScope> failed) => _failed = failed;

    public bool Any => _failed.Count > 0;

    /// <summary>The failed scope that holds the resource itself, if any.</summary>
    public SnapshotScope? OwnScopeOf(SnapshotResource resource)
    {
        foreach (var scope in _failed)
        {
            if (scope.Contains(resource))
            {
                return scope;
            }
        }

        return null;
    }

    /// <summary>A failed scope that could hold more <paramref name="type"/> resources than were read for this count, if any.</summary>
    public SnapshotScope? Blocking(SnapshotScope? own, string type, RelatedScope scope)
    {
        if (own is not null || scope != RelatedScope.Tenant)
        {
            return own;
        }

        var graph = type.StartsWith(ResourceIds.GraphTypePrefix, StringComparison.OrdinalIgnoreCase);
        foreach (var failed in _failed)
        {
            if (failed.Id.StartsWith("/tenants/", StringComparison.OrdinalIgnoreCase) == graph)
            {
                return failed;
            }
        }

        return null;
    }
}
