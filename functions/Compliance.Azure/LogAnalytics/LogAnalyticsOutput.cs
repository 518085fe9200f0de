using Compliance.Azure.Secrets;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.LogAnalytics;

/// <summary>
/// The Log Analytics export as a run output: each finalised run's findings, one row each, posted once
/// through the Logs Ingestion API (<see cref="FindingsExporter"/>). Claimed once per run with the
/// store's notification record under the channel <see cref="ChannelName"/> like the Teams alert —
/// recorded before anything is posted, never posted twice, its result (sent, or failed with a redacted
/// reason) shown on the run — and, like every output, written on its own: a failing workspace never
/// stops the evidence or the alert.
/// </summary>
public sealed class LogAnalyticsOutput(FindingsExporter exporter, IReportStore store, TimeProvider time, ILogger<LogAnalyticsOutput> logger)
    : OncePerRunOutput(store, time, logger)
{
    /// <summary>The channel a run records the export under.</summary>
    public const string ChannelName = "log-analytics";

    public override string Name => "Log Analytics export";

    public override string Channel => ChannelName;

    protected override async Task<NotificationDelivery> DeliverAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var result = await exporter.ExportAsync(run, cancellationToken);
        var detail = SecretRedactor.Redact(result.Detail);
        return result.Succeeded ? NotificationDelivery.Sent(detail) : NotificationDelivery.Failed(detail);
    }

    protected override string FailureDetail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"the findings could not be exported: {exception.GetType().Name}: {SecretRedactor.Redact(exception.Message)}";
    }
}
