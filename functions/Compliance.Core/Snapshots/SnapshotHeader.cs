namespace Compliance.Core.Snapshots;

/// <summary>
/// What a snapshot says about itself. Filled in as the snapshot is read: the scopes may follow the
/// resources (a streaming collector only knows a scope's status at the end).
/// </summary>
public sealed class SnapshotHeader
{
    private readonly List<SnapshotScope> _scopes = [];
    private readonly Dictionary<string, int> _scopeIndex = new(StringComparer.OrdinalIgnoreCase);

    public int SchemaVersion { get; internal set; } = 1;

    public string? TenantId { get; internal set; }

    /// <summary>When the collector read the tenant; the evaluation time of olderThan/newerThan by default.</summary>
    public DateTimeOffset? CollectedAt { get; internal set; }

    /// <summary>
    /// The scopes, each once: a scope listed more than once takes its worst status
    /// (<see cref="SnapshotScope.Merge"/>), so an error is never hidden by a later "ok".
    /// </summary>
    public IReadOnlyList<SnapshotScope> Scopes => _scopes;

    /// <summary>
    /// Whether the snapshot is known to be whole: a document read to its closing brace, or JSON Lines
    /// read to an end line whose counts match. False for JSON Lines without an end line (cut at a line
    /// boundary by a copy, a <c>head</c>, an export): such a snapshot must not resolve anything.
    /// Null until the snapshot has been read to its end.
    /// </summary>
    public bool? Complete { get; internal set; }

    /// <summary>Why <see cref="Complete"/> is false, for people.</summary>
    public string? IncompleteReason { get; internal set; }

    /// <summary>The scope with this id, or null.</summary>
    public SnapshotScope? FindScope(string id) => _scopeIndex.TryGetValue(id, out var i) ? _scopes[i] : null;

    internal void AddScope(SnapshotScope scope)
    {
        if (_scopeIndex.TryGetValue(scope.Id, out var i))
        {
            _scopes[i] = _scopes[i].Merge(scope);
            return;
        }

        _scopeIndex[scope.Id] = _scopes.Count;
        _scopes.Add(scope);
    }

    /// <summary>
    /// Display names the collector read for the objects resources refer to by id (principals, role
    /// definitions): object id or role definition GUID → name (the snapshot's "displayNames"). Messages
    /// show these names; the ids stay in the resources and the evidence.
    /// </summary>
    public Dictionary<string, string> DisplayNames { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Related resource types the collector could not read (the snapshot's "uncollected" list).</summary>
    public List<UncollectedType> Uncollected { get; } = [];
}
