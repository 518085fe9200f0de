using Compliance.Core.Findings;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Runs;

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

/// <summary>Checks <see cref="AlertOptions"/> at start-up, naming the setting.</summary>
public sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.TopFindings is < 1 or > 20)
        {
            failures.Add("Alerts:TopFindings must be between 1 and 20");
        }

        if (!string.IsNullOrWhiteSpace(options.FindingsUrl)
            && !(options.FindingsUrl.Contains("{runId}", StringComparison.Ordinal)
                 && Uri.TryCreate(options.FindingsUrl.Replace("{runId}", "x", StringComparison.Ordinal), UriKind.Absolute, out var url)
                 && (url.Scheme == Uri.UriSchemeHttps || url.IsLoopback)))
        {
            failures.Add("Alerts:FindingsUrl must be an https URL with {runId} in it");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
