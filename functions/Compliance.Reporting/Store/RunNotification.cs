namespace Compliance.Reporting.Store;

/// <summary>
/// A notification of a run on a channel ("teams", …): recorded before it was sent, then its result
/// (sent, skipped, or failed with the reason).
/// </summary>
public sealed record RunNotification(
    string Channel,
    DateTimeOffset RecordedAt,
    NotificationStatus Status = NotificationStatus.Claimed,
    string? Detail = null,
    DateTimeOffset? CompletedAt = null);
