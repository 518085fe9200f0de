namespace Compliance.Reporting.Evidence;

/// <summary>
/// manifest.json of an evidence folder: what run it is, which packs produced it, each file's
/// SHA-256 and, when a signing key is configured, an HMAC-SHA256 over the manifest itself.
/// </summary>
public sealed record EvidenceManifest
{
    public const string FileName = "manifest.json";

    public int SchemaVersion { get; init; } = 1;

    public required string Tool { get; init; }

    public required string ToolVersion { get; init; }

    public required string RunId { get; init; }

    public required string TenantId { get; init; }

    /// <summary>UTC, "2026-11-27T02:00:00Z".</summary>
    public required string RunStartedAt { get; init; }

    public string? RunFinishedAt { get; init; }

    public required string RunStatus { get; init; }

    /// <summary>Why the run is suspect (or, with <see cref="ChangesAccepted"/>, what was accepted).</summary>
    public string? SuspectReason { get; init; }

    public bool? ChangesAccepted { get; init; }

    /// <summary>The run the history compared against.</summary>
    public string? PreviousRunId { get; init; }

    /// <summary>When the tenant was read (the snapshot's collectedAt), UTC.</summary>
    public string? CollectedAt { get; init; }

    /// <summary>The snapshot the findings come from: file name, SHA-256, whether it was whole.</summary>
    public ManifestSnapshot? Snapshot { get; init; }

    /// <summary>Every scope of the run with its status (and error): what was read, what was not.</summary>
    public IReadOnlyList<ManifestScope> Scopes { get; init; } = [];

    /// <summary>Pack parameter overrides of the run.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Ids of suppressions in force that cover every rule or every resource.</summary>
    public IReadOnlyList<string>? BroadSuppressions { get; init; }

    public required string GeneratedAt { get; init; }

    /// <summary>The frameworks controls.csv was limited to; empty: all.</summary>
    public IReadOnlyList<string> Frameworks { get; init; } = [];

    public IReadOnlyList<ManifestPack> Packs { get; init; } = [];

    public IReadOnlyList<ManifestFile> Files { get; init; } = [];

    public ManifestSignature? Signature { get; init; }
}
