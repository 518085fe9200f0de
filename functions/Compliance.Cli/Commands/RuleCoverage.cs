using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Reporting.Csv;

namespace Compliance.Cli.Commands;

/// <summary>
/// What a set of rule packs covers: every rule with its severity and controls, and for each
/// framework the controls that at least one rule maps to.
/// </summary>
internal sealed class RuleCoverage
{
    private RuleCoverage(IReadOnlyList<RulePack> packs, IReadOnlyList<string> frameworks, IReadOnlyDictionary<string, SortedDictionary<string, List<string>>> controls)
    {
        Packs = packs;
        Frameworks = frameworks;
        Controls = controls;
    }

    public IReadOnlyList<RulePack> Packs { get; }

    /// <summary>The frameworks the rules map to: the known ones first, in their usual order, then any others by name.</summary>
    public IReadOnlyList<string> Frameworks { get; }

    /// <summary>Framework → control id (in reading order) → the ids of the rules that map to it.</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, List<string>>> Controls { get; }

    public IEnumerable<(RulePack Pack, Rule Rule)> Rules =>
        Packs.SelectMany(p => p.Rules.Select(r => (p, r)));

    public int RuleCount => Packs.Sum(p => p.Rules.Count);

    public static RuleCoverage Of(IReadOnlyList<RulePack> packs)
    {
        var controls = new Dictionary<string, SortedDictionary<string, List<string>>>(StringComparer.Ordinal);
        foreach (var rule in packs.SelectMany(p => p.Rules))
        {
            foreach (var (framework, ids) in rule.Controls)
            {
                if (!controls.TryGetValue(framework, out var byControl))
                {
                    controls[framework] = byControl = new SortedDictionary<string, List<string>>(NaturalComparer.Instance);
                }

                foreach (var id in ids.Distinct(StringComparer.Ordinal))
                {
                    if (!byControl.TryGetValue(id, out var rules))
                    {
                        byControl[id] = rules = [];
                    }

                    rules.Add(rule.Id);
                }
            }
        }

        var known = RulePackLoader.KnownFrameworks.Where(controls.ContainsKey);
        var others = controls.Keys.Except(RulePackLoader.KnownFrameworks, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new RuleCoverage(packs, [.. known, .. others], controls);
    }

    /// <summary>How many rules map to at least one control of the framework.</summary>
    public int RulesMappedTo(string framework) =>
        Packs.SelectMany(p => p.Rules).Count(r => r.Controls.TryGetValue(framework, out var ids) && ids.Count > 0);

    public static string ControlsOf(Rule rule, string framework) =>
        rule.Controls.TryGetValue(framework, out var ids) ? string.Join(", ", ids) : string.Empty;

    /// <summary>Categories present in the packs, in the order of the category enum.</summary>
    public IEnumerable<RuleCategory> Categories =>
        Enum.GetValues<RuleCategory>().Where(c => Packs.Any(p => p.Rules.Any(r => r.Category == c)));

    /// <summary>Severities from the most to the least severe.</summary>
    public static IEnumerable<Severity> Severities => Enum.GetValues<Severity>().Reverse();
}
