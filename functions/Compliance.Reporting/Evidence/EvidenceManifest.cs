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

    public required string GeneratedAt { get; init; }

    /// <summary>The frameworks controls.csv was limited to; empty: all.</summary>
    public IReadOnlyList<string> Frameworks { get; init; } = [];

    public IReadOnlyList<ManifestPack> Packs { get; init; } = [];

    public IReadOnlyList<ManifestFile> Files { get; init; } = [];

    public ManifestSignature? Signature { get; init; }
}
