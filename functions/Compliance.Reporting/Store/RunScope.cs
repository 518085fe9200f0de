namespace Compliance.Reporting.Store;

/// <summary>
/// A scope of a run and how its collection went: ok, error (with the reason) or still pending; when
/// it was read, how many resources it gave and the SHA-256 of its snapshot, when known.
/// </summary>
public sealed record RunScope(
    string Id,
    string? DisplayName,
    ScopeStatus Status,
    string? Error = null,
    DateTimeOffset? CompletedAt = null,
    DateTimeOffset? CollectedAt = null,
    long? Resources = null,
    string? SnapshotSha256 = null);
