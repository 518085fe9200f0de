using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Spectre.Console;

namespace Compliance.Cli.Output;

/// <summary>
/// Findings as a person reads them: grouped by rule — severity, id and title, how many, the
/// remediation once — then one short line per resource (its name, where it lives, and the finding in
/// plain words), each fitted to the terminal width; <c>--details</c> adds the resource id, the
/// engine's reason and every observed value under each line.
/// </summary>
internal sealed class FindingGroups(IAnsiConsole console, int width, bool details, Func<string, string?> subscriptionName)
{
    private const string LineIndent = "  ";
    private const string DetailIndent = "      ";
    private const int SeverityWidth = 9;

    public void Render(IEnumerable<StoredFinding> findings)
    {
        var groups = findings
            .GroupBy(f => f.Finding.RuleId, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.ToList())
            .OrderByDescending(g => g[0].Finding.Severity)
            .ThenBy(g => g.Min(f => OutcomeOrder(f.Finding.Outcome)))
            .ThenBy(g => g[0].Finding.RuleId, StringComparer.Ordinal);
        var first = true;
        foreach (var group in groups)
        {
            if (!first)
            {
                console.WriteLine();
            }

            first = false;
            RenderGroup(group);
        }
    }

    private void RenderGroup(List<StoredFinding> group)
    {
        var rule = group[0].Finding;
        var counts = string.Join(", ", group.GroupBy(f => f.Finding.Outcome).OrderBy(g => OutcomeOrder(g.Key)).Select(g => $"{g.Count()} {Word(g.Key)}"));
        var severity = rule.Severity.ToWire().ToUpperInvariant().PadRight(SeverityWidth);
        var indent = new string(' ', SeverityWidth);
        var lines = ConsoleText.Wrap($"{rule.RuleId} {rule.RuleTitle} ({counts})", width, indent, severity).ToList();
        console.MarkupLine(SeverityMarkup(rule.Severity, lines[0][..SeverityWidth]) + "[bold]" + Markup.Escape(lines[0][SeverityWidth..]) + "[/]");
        foreach (var line in lines.Skip(1))
        {
            console.MarkupLine("[bold]" + Markup.Escape(line) + "[/]");
        }

        if (rule.Remediation is { Length: > 0 } remediation)
        {
            foreach (var line in ConsoleText.Wrap("Fix: " + remediation, width, indent, indent))
            {
                console.MarkupLine("[grey]" + Markup.Escape(line) + "[/]");
            }
        }

        foreach (var stored in group
                     .OrderBy(f => OutcomeOrder(f.Finding.Outcome))
                     .ThenBy(f => SummaryReport.StatusOrder(f.Status))
                     .ThenBy(f => f.Finding.ResourceName, StringComparer.OrdinalIgnoreCase)
                     .ThenBy(f => f.Finding.ResourceId, StringComparer.OrdinalIgnoreCase))
        {
            console.WriteLine(ConsoleText.Fit(ResourceLine(stored), width));
            if (details)
            {
                RenderDetails(stored.Finding);
            }
        }
    }

    /// <summary>
    /// "nsg-web-prod · rg-web-prod · (new) Rule allow-rdp-anywhere allows RDP (3389) from *": the
    /// resource, where it lives, and what is wrong. A message that already names the resource comes
    /// first ("Storage account st1 has minimum TLS version TLS1_0 · rg-data"), and a name that is only
    /// a GUID (a role assignment) gives way to the message, which names the principal and the role.
    /// </summary>
    internal string ResourceLine(StoredFinding stored)
    {
        var f = stored.Finding;
        var tags = new List<string>();
        if (stored.Status is HistoryStatus.New or HistoryStatus.Regressed or HistoryStatus.Resolved)
        {
            tags.Add(stored.Status.ToWire());
        }

        if (f.Outcome != Outcome.Fail && !(f.Outcome == Outcome.Error && f.Message is not null))
        {
            tags.Add(f.Outcome == Outcome.Suppressed && f.SuppressionExpiresOn is { } until ? $"suppressed until {until:yyyy-MM-dd}" : f.Outcome.ToWire());
        }

        var message = f.Outcome is Outcome.Fail or Outcome.Suppressed or Outcome.Error ? f.Message : null;
        var text = (tags.Count > 0 ? $"({string.Join(", ", tags)}) " : string.Empty) + (message ?? f.Reason);
        var where = Where(f) is { Length: > 0 } w && !string.Equals(w, f.ResourceName, StringComparison.OrdinalIgnoreCase) ? w : null;
        var named = message is not null && (message.Contains(f.ResourceName, StringComparison.OrdinalIgnoreCase) || Guid.TryParse(f.ResourceName, out _)) && f.Outcome != Outcome.Error;
        if (named && where is not null && message!.Contains(where, StringComparison.OrdinalIgnoreCase))
        {
            where = null;
        }

        string[] parts = named
            ? [text, .. where is null ? Array.Empty<string>() : [where]]
            : [f.ResourceName, .. where is null ? Array.Empty<string>() : [where], text];
        return LineIndent + string.Join(" · ", parts);
    }

    private void RenderDetails(Finding f)
    {
        void Detail(string text)
        {
            foreach (var line in ConsoleText.Wrap(text, width, DetailIndent + "  ", DetailIndent))
            {
                console.MarkupLine("[grey]" + Markup.Escape(line) + "[/]");
            }
        }

        Detail($"id: {f.ResourceId}");
        Detail($"why: {f.Reason}");
        foreach (var item in f.Evidence)
        {
            Detail($"{(item.Satisfied ? "ok" : "✗")} {item.Path} = {item.Observed}; expected {item.Expected}");
        }

        if (f.SuppressionJustification is { } justification)
        {
            Detail($"suppressed until {f.SuppressionExpiresOn:yyyy-MM-dd}: {justification}");
        }
    }

    /// <summary>Where a resource lives, as a person names it: its resource group, else its subscription, else the directory.</summary>
    private string? Where(Finding f)
    {
        if (ResourceIds.ResourceGroupIdOf(f.ResourceId) is { } group)
        {
            return ResourceIds.LastSegment(group);
        }

        if (f.SubscriptionId is { } subscription)
        {
            return subscriptionName(subscription) ?? subscription;
        }

        return f.ResourceType.StartsWith("microsoft.graph/", StringComparison.OrdinalIgnoreCase) ? "Entra ID" : null;
    }

    private static int OutcomeOrder(Outcome outcome) => outcome switch
    {
        Outcome.Fail => 0,
        Outcome.Error => 1,
        Outcome.Suppressed => 2,
        _ => 3,
    };

    private static string Word(Outcome outcome) => outcome switch
    {
        Outcome.Fail => "failing",
        Outcome.Error => "error",
        Outcome.Suppressed => "suppressed",
        _ => "passing",
    };

    private static string SeverityMarkup(Severity severity, string label) => severity switch
    {
        Severity.Critical => $"[bold red]{label}[/]",
        Severity.High => $"[red]{label}[/]",
        Severity.Medium => $"[yellow]{label}[/]",
        Severity.Low => $"[blue]{label}[/]",
        _ => $"[grey]{label}[/]",
    };
}
