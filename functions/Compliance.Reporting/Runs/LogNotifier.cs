using Compliance.Core.Findings;
using Microsoft.Extensions.Logging;

namespace Compliance.Reporting.Runs;

/// <summary>The notifier when no Teams webhook is configured: the alert goes to the log (the console locally, Application Insights in Azure).</summary>
public sealed class LogNotifier(ILogger<LogNotifier> logger) : IRunNotifier
{
    public string Channel => "log";

    public Task<NotificationDelivery> SendAsync(RunAlert alert, CancellationToken cancellationToken)
    {
        var severities = string.Join(", ", alert.BySeverity.OrderByDescending(p => p.Key).Select(p => $"{p.Value} {p.Key.ToWire()}"));
        logger.LogWarning(
            "Run {RunId} of tenant {TenantId}: {Count} new or regressed finding(s) at {Severity} or above ({Severities}); top: {Top}",
            alert.Run.RunId,
            alert.Run.TenantId,
            alert.Count,
            alert.MinimumSeverity.ToWire(),
            severities,
            string.Join("; ", alert.Top.Select(f => $"{f.Finding.RuleId} on {f.Finding.ResourceId}")));
        return Task.FromResult(NotificationDelivery.Sent("written to the log (no Teams webhook configured)"));
    }
}
