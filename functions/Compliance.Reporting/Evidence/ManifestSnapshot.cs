namespace Compliance.Reporting.Evidence;

/// <summary>The snapshot of an evidence folder's run: its file name, SHA-256 (lower-case hex) and whether it was whole.</summary>
public sealed record ManifestSnapshot
{
    public string? File { get; init; }

    public string? Sha256 { get; init; }

    public bool? Complete { get; init; }
}
