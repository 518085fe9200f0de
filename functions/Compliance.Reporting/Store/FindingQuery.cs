using Compliance.Core.Findings;
using Compliance.Reporting.History;

namespace Compliance.Reporting.Store;

/// <summary>Which findings of a run to read, one page at a time.</summary>
public sealed record FindingQuery
{
    public required string RunId { get; init; }

    /// <summary>Only these history statuses; empty: any (including none).</summary>
    public IReadOnlyCollection<HistoryStatus> Statuses { get; init; } = [];

    public IReadOnlyCollection<Severity> Severities { get; init; } = [];

    public IReadOnlyCollection<Outcome> Outcomes { get; init; } = [];

    public IReadOnlyCollection<RuleCategory> Categories { get; init; } = [];

    /// <summary>Whether findings carried over from the previous run are included.</summary>
    public bool IncludeCarried { get; init; } = true;

    public int PageSize { get; init; } = 500;

    /// <summary>From the previous page; null for the first.</summary>
    public string? ContinuationToken { get; init; }
}
