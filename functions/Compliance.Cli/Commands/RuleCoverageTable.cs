using System.Globalization;
using System.Text;
using Compliance.Core.Findings;

namespace Compliance.Cli.Commands;

/// <summary>
/// The coverage as plain aligned text for a terminal or grep: one line per rule (id, severity,
/// category, controls, title last so long titles do not push the other columns), then a summary.
/// </summary>
internal static class RuleCoverageTable
{
    private const string Gap = "  ";

    public static string Render(RuleCoverage coverage)
    {
        var headers = new List<string> { "RULE", "SEVERITY", "CATEGORY" };
        headers.AddRange(coverage.Frameworks);
        headers.Add("TITLE");

        var rows = coverage.Rules
            .Select(x => (IReadOnlyList<string>)[
                x.Rule.Id,
                x.Rule.Severity.ToWire(),
                x.Rule.Category.ToWire(),
                .. coverage.Frameworks.Select(f => Dash(RuleCoverage.ControlsOf(x.Rule, f))),
                x.Rule.Title,
            ])
            .ToList();

        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        Line(text, headers, widths);
        foreach (var row in rows)
        {
            Line(text, row, widths);
        }

        text.Append('\n');
        var categories = string.Join(", ", coverage.Categories.Select(c =>
            $"{c.ToWire()} {coverage.Rules.Count(x => x.Rule.Category == c).ToString(CultureInfo.InvariantCulture)}"));
        text.Append(CultureInfo.InvariantCulture, $"{coverage.RuleCount} rules in {coverage.Packs.Count} packs: {categories}.\n");
        foreach (var framework in coverage.Frameworks)
        {
            text.Append(CultureInfo.InvariantCulture, $"{framework}: {coverage.Controls[framework].Count} controls covered by {coverage.RulesMappedTo(framework)} of {coverage.RuleCount} rules.\n");
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            var last = i == cells.Count - 1;
            text.Append(last ? cells[i] : cells[i].PadRight(widths[i])).Append(last ? string.Empty : Gap);
        }

        text.Append('\n');
    }

    private static string Dash(string text) => text.Length == 0 ? "-" : text;
}
