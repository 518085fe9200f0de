using Compliance.Core.Findings;

namespace Compliance.Cli.Output;

/// <summary>Counts of a scan's findings, by outcome, severity and category.</summary>
internal sealed class ScanTally
{
    private readonly Dictionary<(Severity, Outcome), int> _bySeverity = [];
    private readonly Dictionary<(RuleCategory, Outcome), int> _byCategory = [];

    public int Total { get; private set; }

    public int Count(Outcome outcome) => _bySeverity.Where(kv => kv.Key.Item2 == outcome).Sum(kv => kv.Value);

    public int Count(Severity severity, Outcome outcome) => _bySeverity.GetValueOrDefault((severity, outcome));

    public int Count(RuleCategory category, Outcome outcome) => _byCategory.GetValueOrDefault((category, outcome));

    public IEnumerable<RuleCategory> Categories => _byCategory.Keys.Select(k => k.Item1).Distinct().Order();

    /// <summary>Failing and error findings, kept for the readable summary.</summary>
    public List<Finding> Problems { get; } = [];

    public void Add(Finding finding, bool keepProblems)
    {
        Total++;
        _bySeverity[(finding.Severity, finding.Outcome)] = Count(finding.Severity, finding.Outcome) + 1;
        _byCategory[(finding.Category, finding.Outcome)] = Count(finding.Category, finding.Outcome) + 1;
        if (keepProblems && finding.Outcome is Outcome.Fail or Outcome.Error)
        {
            Problems.Add(finding);
        }
    }

    /// <summary>Whether any failing or error finding is at or above <paramref name="threshold"/>.</summary>
    public bool AnyAtOrAbove(Severity threshold) =>
        _bySeverity.Any(kv => kv.Key.Item1 >= threshold && kv.Key.Item2 is Outcome.Fail or Outcome.Error && kv.Value > 0);
}
