namespace Compliance.Reporting.Store;

/// <summary>
/// Where a run's findings came from, for an auditor: the tool, the parameter overrides, and the
/// snapshot — when the tenant was read, the file's name and SHA-256, whether it was whole. Each scope
/// of the run carries its own status (and, in the Functions app, its own collection time and hash).
/// </summary>
public sealed record RunProvenance
{
    public string? ToolVersion { get; init; }

    /// <summary>Pack parameter overrides of the run ("name" or "packId.name" → value as given).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>When the tenant was read (the snapshot's collectedAt; in the Functions app the earliest scope's).</summary>
    public DateTimeOffset? CollectedAt { get; init; }

    /// <summary>The evaluation time of olderThan/newerThan when it was not the collection time (--as-of).</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>The snapshot file's name (no folder).</summary>
    public string? SnapshotFile { get; init; }

    /// <summary>The snapshot file's SHA-256, lower-case hex.</summary>
    public string? SnapshotSha256 { get; init; }

    /// <summary>False when the snapshot may have been cut short (a .jsonl without its end line).</summary>
    public bool? SnapshotComplete { get; init; }

    /// <summary>Suppressions in force that cover every rule or every resource (their ids): listed wherever the run is shown.</summary>
    public IReadOnlyList<string> BroadSuppressions { get; init; } = [];
}
