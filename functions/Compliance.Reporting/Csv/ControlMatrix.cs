using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Csv;

/// <summary>
/// Folds a run's findings into one row per (framework, control, resource). Findings carried from
/// the previous run are left out: the run did not assess them.
/// </summary>
public sealed class ControlMatrix
{
    private readonly Dictionary<(string Framework, string Control, string Resource), Cell> _cells = [];
    private readonly HashSet<string>? _frameworks;

    /// <param name="frameworks">Only these frameworks (case-insensitive); null or empty: every framework.</param>
    public ControlMatrix(IEnumerable<string>? frameworks = null)
    {
        var wanted = frameworks?.ToHashSet(StringComparer.OrdinalIgnoreCase);
        _frameworks = wanted is { Count: > 0 } ? wanted : null;
    }

    public void Add(StoredFinding stored)
    {
        if (stored.Carried)
        {
            return;
        }

        var f = stored.Finding;
        foreach (var (framework, controls) in f.Controls)
        {
            if (_frameworks is not null && !_frameworks.Contains(framework))
            {
                continue;
            }

            foreach (var control in controls)
            {
                var key = (framework, control, f.ResourceId.ToLowerInvariant());
                if (!_cells.TryGetValue(key, out var cell))
                {
                    _cells[key] = cell = new Cell(f);
                }

                cell.Add(f);
            }
        }
    }

    /// <summary>Rows by framework, control (natural order: 2.1 before 10.1), then resource id.</summary>
    public IEnumerable<ControlRow> Rows() =>
        _cells
            .OrderBy(c => c.Key.Framework, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Control, NaturalComparer.Instance)
            .ThenBy(c => c.Key.Resource, StringComparer.Ordinal)
            .Select(c => c.Value.ToRow(c.Key.Framework, c.Key.Control));

    private sealed class Cell(Finding first)
    {
        private readonly SortedSet<string> _rules = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _failing = new(StringComparer.Ordinal);
        private readonly int[] _counts = new int[4];

        public void Add(Finding finding)
        {
            _rules.Add(finding.RuleId);
            _counts[(int)finding.Outcome]++;
            if (finding.Outcome is Outcome.Fail or Outcome.Error)
            {
                _failing.Add(finding.RuleId);
            }
        }

        public ControlRow ToRow(string framework, string control) => new()
        {
            Framework = framework,
            ControlId = control,
            ResourceId = first.ResourceId,
            ResourceName = first.ResourceName,
            ResourceType = first.ResourceType,
            SubscriptionId = first.SubscriptionId,
            Status = _counts[(int)Outcome.Fail] > 0 ? ControlStatus.Fail
                : _counts[(int)Outcome.Error] > 0 ? ControlStatus.Error
                : _counts[(int)Outcome.Suppressed] > 0 ? ControlStatus.Suppressed
                : ControlStatus.Pass,
            Rules = _rules.ToList(),
            FailingRules = _failing.ToList(),
            Pass = _counts[(int)Outcome.Pass],
            Fail = _counts[(int)Outcome.Fail],
            Error = _counts[(int)Outcome.Error],
            Suppressed = _counts[(int)Outcome.Suppressed],
        };
    }
}
