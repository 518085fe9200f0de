namespace Compliance.Core.Snapshots;

/// <summary>
/// What a snapshot says about itself. Filled in as the snapshot is read: the scopes may follow the
/// resources (a streaming collector only knows a scope's status at the end).
/// </summary>
public sealed class SnapshotHeader
{
    public int SchemaVersion { get; internal set; } = 1;

    public string? TenantId { get; internal set; }

    /// <summary>When the collector read the tenant; the evaluation time of olderThan/newerThan by default.</summary>
    public DateTimeOffset? CollectedAt { get; internal set; }

    public List<SnapshotScope> Scopes { get; } = [];

    /// <summary>Related resource types the collector could not read (the snapshot's "uncollected" list).</summary>
    public List<UncollectedType> Uncollected { get; } = [];
}
