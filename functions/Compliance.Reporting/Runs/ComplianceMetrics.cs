using System.Diagnostics.Metrics;

namespace Compliance.Reporting.Runs;

/// <summary>
/// The scanner's own operational metrics (System.Diagnostics.Metrics, exported by OpenTelemetry to
/// Application Insights as customMetrics / AppMetrics with the tags as dimensions). The template's
/// alert rules query these names: keep them stable.
/// </summary>
public static class ComplianceMetrics
{
    /// <summary>The meter's name, which the telemetry set-up subscribes to.</summary>
    public const string MeterName = "Compliance.Scanner";

    /// <summary>Runs finalised, tagged status (completed, incomplete).</summary>
    public const string RunsFinalized = "compliance.runs.finalized";

    /// <summary>Notifications recorded, tagged channel and status (sent, accepted, skipped, failed).</summary>
    public const string Notifications = "compliance.notifications";

    /// <summary>Scope messages that reached the poison queue (failed every delivery).</summary>
    public const string ScopesPoisoned = "compliance.scopes.poisoned";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> RunCounter = Meter.CreateCounter<long>(RunsFinalized, description: "Runs finalised, by status");
    private static readonly Counter<long> NotificationCounter = Meter.CreateCounter<long>(Notifications, description: "Run notifications, by channel and status");
    private static readonly Counter<long> PoisonCounter = Meter.CreateCounter<long>(ScopesPoisoned, description: "Scope scans that failed every attempt");

    public static void RunFinalized(string status) => RunCounter.Add(1, new KeyValuePair<string, object?>("status", status));

    public static void Notified(string channel, string status) =>
        NotificationCounter.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("status", status));

    public static void ScopePoisoned() => PoisonCounter.Add(1);
}
