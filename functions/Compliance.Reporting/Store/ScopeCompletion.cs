namespace Compliance.Reporting.Store;

/// <summary>
/// A scope that finished: <see cref="ScopeStatus.Ok"/>, or <see cref="ScopeStatus.Error"/> with the
/// reason, and what is known of its collection. A scope reported twice keeps its worst status.
/// </summary>
public sealed record ScopeCompletion(
    string ScopeId,
    ScopeStatus Status,
    DateTimeOffset CompletedAt,
    string? Error = null,
    string? DisplayName = null,
    DateTimeOffset? CollectedAt = null,
    long? Resources = null,
    string? SnapshotSha256 = null);
