using Compliance.Core.Findings;

namespace Compliance.Azure.Notifications;

/// <summary>When a finalised run is worth an alert and what the alert shows (section "Alerts").</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Only new or regressed findings of this severity or above raise an alert.</summary>
    public Severity MinimumSeverity { get; set; } = Severity.High;

    /// <summary>How many findings the alert lists (the rest are counted).</summary>
    public int TopFindings { get; set; } = 5;

    /// <summary>
    /// The link to a run's findings, with "{runId}" in it, e.g.
    /// "https://func-compliance.azurewebsites.net/api/runs/{runId}/findings?status=new,regressed". Empty: no link.
    /// </summary>
    public string? FindingsUrl { get; set; }

    /// <summary>The link for one run, or null when none is configured.</summary>
    public Uri? FindingsUrlFor(string runId) =>
        string.IsNullOrWhiteSpace(FindingsUrl) ? null : new Uri(FindingsUrl.Replace("{runId}", Uri.EscapeDataString(runId), StringComparison.Ordinal));
}
