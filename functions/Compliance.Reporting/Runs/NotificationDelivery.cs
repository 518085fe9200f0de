using Compliance.Reporting.Store;

namespace Compliance.Reporting.Runs;

/// <summary>
/// How sending an alert went, as the run records it — <see cref="NotificationStatus.Sent"/> (the
/// receiver says it posted it), <see cref="NotificationStatus.Accepted"/> (the receiver took it to
/// post later: a Teams Workflows trigger answers 202) or <see cref="NotificationStatus.Failed"/> — and a
/// sentence saying so. The sentence never carries a secret nor a response body.
/// </summary>
public sealed record NotificationDelivery(NotificationStatus Status, string Detail)
{
    /// <summary>Whether the alert left us for good: sent, or accepted for later posting (either way it is not sent again).</summary>
    public bool Delivered => Status is NotificationStatus.Sent or NotificationStatus.Accepted;

    public static NotificationDelivery Sent(string detail) => new(NotificationStatus.Sent, detail);

    public static NotificationDelivery Accepted(string detail) => new(NotificationStatus.Accepted, detail);

    public static NotificationDelivery Failed(string detail) => new(NotificationStatus.Failed, detail);

    /// <summary>Nothing to send (no new or regressed finding at or above the threshold): recorded as skipped.</summary>
    public static NotificationDelivery Skipped(string detail) => new(NotificationStatus.Skipped, detail);
}
