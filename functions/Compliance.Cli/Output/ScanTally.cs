using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;

namespace Compliance.Cli.Output;

/// <summary>
/// Counts of a run's findings, by outcome, severity and category (the findings the run evaluated),
/// and by history status (all of them, with those carried from the previous run).
/// </summary>
internal sealed class ScanTally
{
    private readonly Dictionary<(Severity, Outcome), int> _bySeverity = [];
    private readonly Dictionary<(RuleCategory, Outcome), int> _byCategory = [];
    private readonly Dictionary<HistoryStatus, int> _byStatus = [];

    public int Total { get; private set; }

    public int Count(Outcome outcome) => _bySeverity.Where(kv => kv.Key.Item2 == outcome).Sum(kv => kv.Value);

    public int Count(Severity severity, Outcome outcome) => _bySeverity.GetValueOrDefault((severity, outcome));

    public int Count(RuleCategory category, Outcome outcome) => _byCategory.GetValueOrDefault((category, outcome));

    public int Count(HistoryStatus status) => _byStatus.GetValueOrDefault(status);

    public IEnumerable<RuleCategory> Categories => _byCategory.Keys.Select(k => k.Item1).Distinct().Order();

    /// <summary>How many findings of each list the readable summary shows; the rest are counted.</summary>
    public const int Shown = 300;

    /// <summary>Failing and error findings (with carried ones that could not be re-evaluated), the most severe first.</summary>
    public SummaryList Problems { get; } = new(Shown);

    /// <summary>Findings resolved since the previous run.</summary>
    public SummaryList Resolved { get; } = new(Shown);

    /// <summary>Failing findings an active suppression covers.</summary>
    public SummaryList Suppressed { get; } = new(Shown);

    public void Add(StoredFinding stored, bool keepDetails)
    {
        var finding = stored.Finding;
        if (stored.Status is { } status)
        {
            _byStatus[status] = Count(status) + 1;
        }

        if (!stored.Carried)
        {
            Total++;
            _bySeverity[(finding.Severity, finding.Outcome)] = Count(finding.Severity, finding.Outcome) + 1;
            _byCategory[(finding.Category, finding.Outcome)] = Count(finding.Category, finding.Outcome) + 1;
        }

        if (!keepDetails)
        {
            return;
        }

        if (finding.Outcome is Outcome.Fail or Outcome.Error)
        {
            Problems.Add(stored);
        }
        else if (stored.Status == HistoryStatus.Resolved)
        {
            Resolved.Add(stored);
        }
        else if (finding.Outcome == Outcome.Suppressed)
        {
            Suppressed.Add(stored);
        }
    }

    /// <summary>Whether any failing or error finding the run evaluated is at or above <paramref name="threshold"/>.</summary>
    public bool AnyAtOrAbove(Severity threshold) =>
        _bySeverity.Any(kv => kv.Key.Item1 >= threshold && kv.Key.Item2 is Outcome.Fail or Outcome.Error && kv.Value > 0);
}
