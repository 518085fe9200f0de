using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Compliance.Cli.Output;

/// <summary>The readable result of a scan: counts by severity and category, then each problem with its reason.</summary>
internal static class SummaryReport
{
    private static readonly Outcome[] Shown = [Outcome.Fail, Outcome.Error, Outcome.Suppressed, Outcome.Pass];

    public static void Render(IAnsiConsole console, ScanTally tally, SnapshotHeader header, string snapshotName, long resources, int rules, int packs)
    {
        console.Write(new Rule($"[bold]Compliance scan[/] of {Markup.Escape(snapshotName)}").LeftJustified());
        var tenant = header.TenantId is null ? "unknown tenant" : $"tenant {header.TenantId}";
        var collected = header.CollectedAt is { } at ? $", collected {at:yyyy-MM-dd HH:mm} UTC" : string.Empty;
        console.MarkupLine(Markup.Escape($"{tenant}{collected}: {resources} resources, {rules} rules from {packs} packs, {tally.Total} findings"));
        console.MarkupLine(
            $"[red]{tally.Count(Outcome.Fail)} fail[/], [yellow]{tally.Count(Outcome.Error)} error[/], " +
            $"[grey]{tally.Count(Outcome.Suppressed)} suppressed[/], [green]{tally.Count(Outcome.Pass)} pass[/]");
        console.WriteLine();

        var bySeverity = CountTable("Severity");
        foreach (var severity in Enum.GetValues<Severity>().Reverse())
        {
            bySeverity.AddRow(Cells(severity.ToWire(), o => tally.Count(severity, o)));
        }

        var byCategory = CountTable("Category");
        foreach (var category in tally.Categories)
        {
            byCategory.AddRow(Cells(category.ToWire(), o => tally.Count(category, o)));
        }

        console.Write(new Columns(bySeverity, byCategory).Collapse());
        console.WriteLine();

        var scopeErrors = header.Scopes.Where(s => s.IsError).ToList();
        if (scopeErrors.Count > 0)
        {
            console.MarkupLine("[yellow bold]Scopes that could not be read[/] (nothing in them is reported as compliant):");
            foreach (var scope in scopeErrors)
            {
                console.MarkupLine($"  [yellow]![/] {Markup.Escape(scope.DisplayName ?? scope.Id)}: {Markup.Escape(scope.Error ?? "no reason given")}");
            }

            console.WriteLine();
        }

        if (tally.Problems.Count == 0)
        {
            console.MarkupLine("[green]No failing findings.[/]");
            return;
        }

        var problems = new Table().Border(TableBorder.Simple).Expand()
            .AddColumn("Severity")
            .AddColumn("Rule")
            .AddColumn("Resource")
            .AddColumn("Why");
        foreach (var f in tally.Problems
                     .OrderByDescending(f => f.Severity)
                     .ThenBy(f => f.Outcome)
                     .ThenBy(f => f.RuleId, StringComparer.Ordinal)
                     .ThenBy(f => f.ResourceName, StringComparer.OrdinalIgnoreCase))
        {
            var outcome = f.Outcome == Outcome.Error ? "[yellow]error[/]" : "[red]fail[/]";
            problems.AddRow(
                new Markup($"{SeverityMarkup(f.Severity)}\n{outcome}"),
                new Markup($"{Markup.Escape(f.RuleId)}\n[grey]{Markup.Escape(f.RuleTitle)}[/]"),
                new Markup($"{Markup.Escape(f.ResourceName)}\n[grey]{Markup.Escape(f.ResourceType)}[/]"),
                new Text(f.Reason));
        }

        console.Write(problems);
    }

    private static Table CountTable(string title)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(title);
        foreach (var outcome in Shown)
        {
            table.AddColumn(new TableColumn(outcome.ToWire()).RightAligned());
        }

        return table;
    }

    private static IRenderable[] Cells(string label, Func<Outcome, int> count) =>
        [new Text(label), .. Shown.Select(o => (IRenderable)new Text(count(o).ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    private static string SeverityMarkup(Severity severity) => severity switch
    {
        Severity.Critical => "[bold red]critical[/]",
        Severity.High => "[red]high[/]",
        Severity.Medium => "[yellow]medium[/]",
        Severity.Low => "[blue]low[/]",
        _ => "[grey]informational[/]",
    };
}
