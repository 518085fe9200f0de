namespace Compliance.Reporting.Runs;

/// <summary>How sending an alert went: delivered or not, and a sentence saying so (never a secret).</summary>
public sealed record NotificationDelivery(bool Delivered, string Detail)
{
    public static NotificationDelivery Sent(string detail) => new(true, detail);

    public static NotificationDelivery Failed(string detail) => new(false, detail);
}
