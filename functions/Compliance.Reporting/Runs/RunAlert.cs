using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Runs;

/// <summary>
/// What a run's alert says: the new or regressed failing (or error) findings at or above the
/// threshold, counted by severity and category, the top ones, and where to read them all.
/// </summary>
public sealed record RunAlert
{
    public required RunRecord Run { get; init; }

    public required Severity MinimumSeverity { get; init; }

    /// <summary>How many findings the alert is about.</summary>
    public required int Count { get; init; }

    public required IReadOnlyDictionary<Severity, int> BySeverity { get; init; }

    public required IReadOnlyDictionary<RuleCategory, int> ByCategory { get; init; }

    /// <summary>The most severe of them, regressed before new.</summary>
    public required IReadOnlyList<StoredFinding> Top { get; init; }

    /// <summary>Where the run's findings can be read, when configured.</summary>
    public Uri? FindingsUrl { get; init; }
}
