using Compliance.Core.Findings;
using Compliance.Reporting.Csv;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Report;

/// <summary>What the HTML report shows of a run, read from the store in one pass (<see cref="ReportReader"/>).</summary>
internal sealed class ReportData
{
    public required RunRecord Run { get; init; }

    /// <summary>The tenant's finalised runs up to this one, oldest first (at most <see cref="ReportReader.TrendRuns"/>).</summary>
    public required IReadOnlyList<RunRecord> Trend { get; init; }

    /// <summary>Findings the run evaluated, by outcome (carried findings apart).</summary>
    public required IReadOnlyDictionary<Outcome, int> Outcomes { get; init; }

    /// <summary>Open problems (fail and error) by severity and category.</summary>
    public required IReadOnlyDictionary<(Severity Severity, RuleCategory Category), int> Problems { get; init; }

    /// <summary>Suppressed findings by severity.</summary>
    public required IReadOnlyDictionary<Severity, int> SuppressedBySeverity { get; init; }

    public required IReadOnlyDictionary<HistoryStatus, int> Statuses { get; init; }

    /// <summary>The tenant's name (its organization object's display name), when the run read it.</summary>
    public string? TenantName { get; init; }

    public required int Resources { get; init; }

    /// <summary>Resources with at least one open problem.</summary>
    public required int ResourcesWithProblems { get; init; }

    public required IReadOnlyList<FrameworkSummary> Frameworks { get; init; }

    /// <summary>Every problem of the run (fail, error, suppressed; carried ones included), most severe first.</summary>
    public required IReadOnlyList<StoredFinding> ProblemFindings { get; init; }

    /// <summary>The findings the run resolved (now passing, or resource gone).</summary>
    public required IReadOnlyList<StoredFinding> ResolvedFindings { get; init; }

    public int Count(Outcome outcome) => Outcomes.GetValueOrDefault(outcome);

    public int Count(HistoryStatus status) => Statuses.GetValueOrDefault(status);

    public int Evaluated => Outcomes.Values.Sum();

    public string ScopeName(string scopeId) =>
        Run.FindScope(scopeId) is { DisplayName: { Length: > 0 } name } ? name : scopeId;
}
