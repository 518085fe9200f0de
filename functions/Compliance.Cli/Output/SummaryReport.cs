using System.Globalization;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.History;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Compliance.Cli.Output;

/// <summary>
/// The readable result of a scan: counts by severity and category, then the problems grouped by rule
/// (<see cref="FindingGroups"/>), every line fitted to the console's width without breaking a word.
/// </summary>
internal static class SummaryReport
{
    private static readonly Outcome[] Shown = [Outcome.Fail, Outcome.Error, Outcome.Suppressed, Outcome.Pass];

    public static void Render(IAnsiConsole console, ScanTally tally, SnapshotHeader header, string snapshotName, long resources, int rules, int packs, ScanHistory history, bool details = false)
    {
        var width = console.Profile.Width;
        console.Write(new Rule($"[bold]Compliance scan[/] of {Markup.Escape(ConsoleText.Fit(snapshotName, Math.Max(10, width - 24)))}").LeftJustified());
        var tenant = header.TenantId is null ? "unknown tenant" : $"tenant {header.TenantId}";
        var collected = header.CollectedAt is { } at ? $", collected {IsoTime.Minutes(at)}" : string.Empty;
        Lines(console, $"{tenant}{collected}: {resources} resources, {rules} rules from {packs} packs, {tally.Total} findings", "  ");
        console.MarkupLine(
            $"[red]{tally.Count(Outcome.Fail)} fail[/], [yellow]{tally.Count(Outcome.Error)} error[/], " +
            $"[grey]{tally.Count(Outcome.Suppressed)} suppressed[/], [green]{tally.Count(Outcome.Pass)} pass[/]");
        RenderHistory(console, tally, history);
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
            Lines(console, "Scopes that could not be read completely (what was read and fails is reported as failing; nothing in them is reported as compliant):", string.Empty, "yellow bold");
            foreach (var scope in scopeErrors)
            {
                Lines(console, $"! {scope.DisplayName ?? scope.Id}: {scope.Error ?? "no reason given"}", "    ", "yellow", "  ");
            }

            console.WriteLine();
        }

        RenderBroad(console, history);
        RenderExpired(console, history);
        RenderProblems(console, tally, header, details);
        RenderResolved(console, tally);
        RenderSuppressed(console, tally);
    }

    /// <summary>Text wrapped between words to the console's width (never broken inside a word), in a style.</summary>
    private static void Lines(IAnsiConsole console, string text, string indent, string? style = null, string firstIndent = "")
    {
        foreach (var line in ConsoleText.Wrap(text, console.Profile.Width, indent, firstIndent))
        {
            console.MarkupLine(style is null ? Markup.Escape(line) : $"[{style}]{Markup.Escape(line)}[/]");
        }
    }

    /// <summary>One line cut at a word boundary to the console's width.</summary>
    private static void Line(IAnsiConsole console, string text) => console.WriteLine(ConsoleText.Fit(text, console.Profile.Width));

    private static void RenderHistory(IAnsiConsole console, ScanTally tally, ScanHistory history)
    {
        if (history.Run is not { } run)
        {
            Lines(console, "Not stored (--store none): no history, no comparison with earlier scans.", "  ");
            return;
        }

        var counts = $"{tally.Count(HistoryStatus.New)} new, {tally.Count(HistoryStatus.Regressed)} regressed, " +
                     $"{tally.Count(HistoryStatus.Persisting)} persisting, {tally.Count(HistoryStatus.Resolved)} resolved";
        var against = history.Previous is { } previous
            ? $"since run {previous.RunId} ({IsoTime.Minutes(previous.StartedAt)})"
            : "(the first run of this tenant in the store: every problem is new)";
        Lines(console, $"{counts} {against}", "  ");
        Lines(console, $"Stored as run {run.RunId} ({run.Status.ToWire()}) in {history.StorePath}", "  ");
        if (run.Status == Reporting.Store.RunStatus.Suspect)
        {
            var withheld = run.Counts?.Withheld is > 0 and var n ? $" ({n} would have been)" : string.Empty;
            Lines(console, $"Suspect run: nothing was resolved{withheld}, because {run.SuspectReason}. If the change is real, scan again with --accept-changes.", "  ");
        }
        else if (run.ChangesAccepted)
        {
            Lines(console, $"Changes accepted (--accept-changes): {run.SuspectReason}.", "  ");
        }
    }

    private static void RenderBroad(IAnsiConsole console, ScanHistory history)
    {
        var broad = history.Suppressions.Broad.ToList();
        if (broad.Count == 0)
        {
            return;
        }

        Lines(console, "Broad suppressions in force (each covers every rule or every resource):", string.Empty, "yellow bold");
        foreach (var suppression in broad)
        {
            Lines(console, $"! broad suppression {suppression.Id}: {suppression.Describe()} (owner {suppression.Owner}, {suppression.Source ?? "store"}) until {IsoTime.Minutes(suppression.ExpiresOn)}; {history.Suppressions.ActiveMatches(suppression)} finding(s) suppressed", "    ", null, "  ");
        }

        console.WriteLine();
    }

    private static void RenderExpired(IAnsiConsole console, ScanHistory history)
    {
        var expired = history.Suppressions.Expired;
        if (expired.Count == 0)
        {
            return;
        }

        Lines(console, "Expired suppressions (they no longer apply; renew or remove them):", string.Empty, "yellow bold");
        foreach (var suppression in expired)
        {
            var covered = history.Suppressions.ExpiredMatches(suppression);
            Lines(
                console,
                $"! {suppression.Describe()} (owner {suppression.Owner}, {suppression.Source ?? suppression.Id}) expired {IsoTime.Minutes(suppression.ExpiresOn)}" +
                (covered > 0 ? $"; {covered} failing finding(s) it covered now count as failing" : string.Empty),
                "    ",
                null,
                "  ");
        }

        console.WriteLine();
    }

    private static void RenderProblems(IAnsiConsole console, ScanTally tally, SnapshotHeader header, bool details)
    {
        if (tally.Problems.Count == 0)
        {
            console.MarkupLine("[green]No failing findings.[/]");
            return;
        }

        console.Write(new Rule($"[bold]Failing findings by rule[/] ({tally.Count(Outcome.Fail)} fail, {tally.Count(Outcome.Error)} error)").LeftJustified());
        new FindingGroups(console, console.Profile.Width, details, id => header.FindScope(ResourceIds.SubscriptionScopeId(id))?.DisplayName).Render(tally.Problems);
        if (tally.Problems.Omitted > 0)
        {
            console.WriteLine();
            Lines(console, $"… and {tally.Problems.Omitted} more failing or error findings of lower severity: 'compliance findings' lists them all.", "  ");
        }
    }

    private static void RenderResolved(IAnsiConsole console, ScanTally tally)
    {
        if (tally.Resolved.Count == 0)
        {
            return;
        }

        console.WriteLine();
        console.MarkupLine("[green bold]Resolved since the previous run[/]:");
        foreach (var stored in tally.Resolved.OrderBy(r => r.Finding.RuleId, StringComparer.Ordinal).ThenBy(r => r.Finding.ResourceName, StringComparer.OrdinalIgnoreCase))
        {
            var f = stored.Finding;
            var how = stored.Carried ? "resource gone" : "now passes";
            Line(console, $"  + {f.RuleId} {f.ResourceName} ({how})");
        }
    }

    private static void RenderSuppressed(IAnsiConsole console, ScanTally tally)
    {
        if (tally.Suppressed.Count == 0)
        {
            return;
        }

        console.WriteLine();
        console.MarkupLine("[grey bold]Suppressed[/] (failing, accepted until the expiry):");
        foreach (var stored in tally.Suppressed.OrderBy(r => r.Finding.SuppressionExpiresOn).ThenBy(r => r.Finding.RuleId, StringComparer.Ordinal))
        {
            var f = stored.Finding;
            Line(console, $"  ~ {f.RuleId} {f.ResourceName} until {f.SuppressionExpiresOn:yyyy-MM-dd}{(f.SuppressionBroad == true ? " (broad suppression)" : string.Empty)}: {f.SuppressionJustification}");
        }
    }

    /// <summary>What changed first: regressed, new, then persisting.</summary>
    internal static int StatusOrder(HistoryStatus? status) => status switch
    {
        HistoryStatus.Regressed => 0,
        HistoryStatus.New => 1,
        HistoryStatus.Persisting => 2,
        HistoryStatus.Resolved => 3,
        _ => 4,
    };

    internal static string StatusMarkup(HistoryStatus? status) => status switch
    {
        HistoryStatus.Regressed => "[bold red]regressed[/]",
        HistoryStatus.New => "[red]new[/]",
        HistoryStatus.Persisting => "persisting",
        HistoryStatus.Resolved => "[green]resolved[/]",
        _ => string.Empty,
    };

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
        [new Text(label), .. Shown.Select(o => (IRenderable)new Text(count(o).ToString(CultureInfo.InvariantCulture)))];

    internal static string SeverityMarkup(Severity severity) => severity switch
    {
        Severity.Critical => "[bold red]critical[/]",
        Severity.High => "[red]high[/]",
        Severity.Medium => "[yellow]medium[/]",
        Severity.Low => "[blue]low[/]",
        _ => "[grey]informational[/]",
    };
}
