namespace Compliance.Core.Snapshots;

/// <summary>
/// What a snapshot calls things: the display names the collector read for objects resources refer to
/// by id (principals, role definitions: <see cref="SnapshotHeader.DisplayNames"/>) and the names of its
/// scopes. Messages use them; when a name is not known the id is shown.
/// </summary>
internal sealed class SnapshotNames(IReadOnlyDictionary<string, string> displayNames, Func<string, SnapshotScope?> scopeOf)
{
    public static readonly SnapshotNames None = new(new Dictionary<string, string>(), _ => null);

    public static SnapshotNames Of(SnapshotHeader header) => new(header.DisplayNames, header.FindScope);

    public string? ScopeName(string scopeId) => scopeOf(scopeId)?.DisplayName;

    public string NameOf(string id)
    {
        var trimmed = id.TrimEnd('/');
        var key = trimmed.Contains('/', StringComparison.Ordinal) ? ResourceIds.LastSegment(trimmed) : trimmed;
        return key.Length > 0 && displayNames.TryGetValue(key, out var name) ? name : id;
    }

    public string DescribeScope(string scope)
    {
        var segments = scope.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return "the root scope (/)";
        }

        if (segments.Length == 2 && segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            return $"subscription {ScopeName($"/subscriptions/{segments[1]}") ?? NameOf(segments[1])}";
        }

        if (segments.Length == 4 && segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) && segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
        {
            return $"resource group {segments[3]}";
        }

        if (segments.Length == 4 && segments[0].Equals("providers", StringComparison.OrdinalIgnoreCase) && segments[2].Equals("managementGroups", StringComparison.OrdinalIgnoreCase))
        {
            return $"management group {NameOf(segments[3])}";
        }

        return $"resource {segments[^1]}";
    }
}
