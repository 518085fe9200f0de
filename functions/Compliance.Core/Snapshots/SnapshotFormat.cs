namespace Compliance.Core.Snapshots;

public enum SnapshotFormat
{
    /// <summary>One JSON document { schemaVersion, tenantId, collectedAt, scopes, resources }.</summary>
    Document,

    /// <summary>
    /// JSON Lines: an optional header line { "schemaVersion": 1, "tenantId", "collectedAt" }, one resource
    /// per line, and scope lines { "scope": { "id", "status", "error" } } anywhere.
    /// </summary>
    Lines,
}
