namespace Compliance.Reporting.Evidence;

/// <summary>A scope of an evidence folder's run: id, name, status ("ok", "error", "pending"), the error, when it was read and its snapshot's SHA-256.</summary>
public sealed record ManifestScope
{
    public required string Id { get; init; }

    public string? DisplayName { get; init; }

    public required string Status { get; init; }

    public string? Error { get; init; }

    public string? CollectedAt { get; init; }

    public string? Sha256 { get; init; }
}
