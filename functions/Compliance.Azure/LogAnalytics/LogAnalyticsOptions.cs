namespace Compliance.Azure.LogAnalytics;

/// <summary>
/// The optional export of each finalised run's findings to a Log Analytics workspace (section
/// "LogAnalytics") through the Logs Ingestion API: a data collection endpoint, a data collection rule
/// and its stream, which the template creates with the custom table when the export is enabled.
/// </summary>
public sealed class LogAnalyticsOptions
{
    public const string Section = "LogAnalytics";

    /// <summary>Whether each finalised run's findings are exported (the template sets it with the export). Needs <see cref="Endpoint"/> and <see cref="RuleId"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The data collection endpoint's logs ingestion URL ("https://{dce}.{region}-1.ingest.monitor.azure.com"). Empty: no export.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The data collection rule's immutable id ("dcr-…").</summary>
    public string? RuleId { get; set; }

    /// <summary>The stream the rule declares for the findings.</summary>
    public string Stream { get; set; } = "Custom-ComplianceFindings_CL";

    /// <summary>The Logs Ingestion REST API version.</summary>
    public string ApiVersion { get; set; } = "2023-01-01";

    /// <summary>
    /// The largest body of one call, in bytes before compression. The API takes at most 1 MB per call
    /// (Microsoft Learn, "Azure Monitor service limits", Logs Ingestion API; the Azure SDK's
    /// LogsIngestionClient batches at 1,000,000 bytes likewise).
    /// </summary>
    public int MaxBatchBytes { get; set; } = 1_000_000;

    /// <summary>POSTs of one batch at most: the first, then after each 429 or 5xx.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The longest Retry-After honoured.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one POST may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
