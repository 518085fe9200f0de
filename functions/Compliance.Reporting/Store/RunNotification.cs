namespace Compliance.Reporting.Store;

/// <summary>A notification recorded as sent for a run ("teams", …).</summary>
public sealed record RunNotification(string Channel, DateTimeOffset RecordedAt);
