using Compliance.Core.Findings;

namespace Compliance.Reporting.Csv;

/// <summary>A finding with the run it belongs to and its history status, as one CSV row sees it.</summary>
public sealed record FindingRow(string RunId, DateTimeOffset RunTime, string? TenantId, Finding Finding, string? HistoryStatus = null);
