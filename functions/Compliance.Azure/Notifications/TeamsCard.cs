using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;

namespace Compliance.Azure.Notifications;

/// <summary>
/// The message a Teams Workflows webhook posts: one Adaptive Card 1.4. Our own words and numbers go
/// in TextBlocks and FactSets; everything that came from the tenant or a rule pack goes in TextRuns
/// (no Markdown) through <see cref="CardText.Plain"/>.
/// </summary>
public static class TeamsCard
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The webhook payload: { "type": "message", "attachments": [ the card ] }.</summary>
    public static JsonObject Build(RunAlert alert)
    {
        var run = alert.Run;
        var body = new JsonArray
        {
            TextBlock($"Compliance scan: {Plural(alert.Count, "new or regressed finding")} at {alert.MinimumSeverity.ToWire()} severity or above", weight: "Bolder", size: "Medium"),
            Rich(Run("Tenant "), Run(CardText.Plain(TenantName(run) ?? run.TenantId), bold: true), Run(TenantName(run) is null ? string.Empty : $" ({CardText.Plain(run.TenantId, 64)})")),
            Facts(
                ("Run", run.RunId),
                ("Started", Time(run.StartedAt)),
                ("Status", run.Status.ToWire()),
                ("Scopes", ScopeSummary(run)),
                ("Compared with", run.PreviousRunId ?? "nothing: the first run of this tenant, so every problem is new")),
            TextBlock("By severity", weight: "Bolder", separator: true),
            Facts(alert.BySeverity.OrderByDescending(p => p.Key).Select(p => (p.Key.ToWire(), p.Value.ToString(CultureInfo.InvariantCulture))).ToArray()),
            TextBlock("By category", weight: "Bolder"),
            Facts(alert.ByCategory.OrderBy(p => p.Key.ToWire(), StringComparer.Ordinal).Select(p => (p.Key.ToWire(), p.Value.ToString(CultureInfo.InvariantCulture))).ToArray()),
            TextBlock(alert.Top.Count == alert.Count ? "Findings" : $"Top {alert.Top.Count} findings", weight: "Bolder", separator: true),
        };
        if (run.Status == RunStatus.Suspect)
        {
            // Said before anything else it shows: nothing this run lacks was taken as fixed.
            body.Insert(1, TextBlock($"Suspect run: nothing was resolved. {CardText.Plain(run.SuspectReason ?? "no reason recorded", 400)}", weight: "Bolder", color: "Warning"));
        }

        foreach (var stored in alert.Top)
        {
            body.Add(FindingBlock(stored));
        }

        if (alert.Count > alert.Top.Count)
        {
            body.Add(TextBlock($"…and {alert.Count - alert.Top.Count} more.", subtle: true));
        }

        var unread = run.Scopes.Where(s => s.Status != ScopeStatus.Ok).ToList();
        if (unread.Count > 0)
        {
            body.Add(TextBlock($"Not read completely this run ({unread.Count}): nothing in these scopes is reported as compliant", weight: "Bolder", color: "Warning", separator: true));
            foreach (var scope in unread)
            {
                body.Add(Rich(
                    Run(CardText.Plain(scope.DisplayName ?? scope.Id, 80), bold: true),
                    Run($" ({scope.Status.ToWire()}) "),
                    Run(CardText.Plain(scope.Error ?? "never reported", 240), subtle: true)));
            }
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };
        if (alert.FindingsUrl is { } url)
        {
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the run's findings", ["url"] = url.AbsoluteUri });
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        };
    }

    /// <summary>The payload as people read it (the golden file).</summary>
    public static string ToIndentedJson(JsonObject payload) => payload.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";

    private static JsonObject FindingBlock(StoredFinding stored)
    {
        var f = stored.Finding;
        var status = stored.Status?.ToWire() ?? "new";
        return new JsonObject
        {
            ["type"] = "Container",
            ["separator"] = true,
            ["items"] = new JsonArray
            {
                Rich(
                    Run(f.Severity.ToWire().ToUpperInvariant(), bold: true, color: f.Severity >= Severity.High ? "Attention" : f.Severity == Severity.Medium ? "Warning" : null),
                    Run($" {status} {f.Outcome.ToWire()} · "),
                    Run(CardText.Plain(f.RuleId, 40), bold: true),
                    Run(" " + CardText.Plain(f.RuleTitle, 160))),
                Rich(Run("Resource: "), Run(CardText.Plain(f.ResourceName, 120), bold: true), Run(" " + CardText.Plain(f.ResourceType, 100), subtle: true)),
                Rich(Run(CardText.Plain(f.Reason, 300), subtle: true)),
            },
        };
    }

    private static string? TenantName(RunRecord run) =>
        run.Scopes.FirstOrDefault(s => Core.Snapshots.ResourceIds.IsTenantScope(s.Id))?.DisplayName;

    private static string ScopeSummary(RunRecord run)
    {
        var parts = run.Scopes.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToWire()}");
        return $"{run.Scopes.Count}: {string.Join(", ", parts)}";
    }

    private static string Time(DateTimeOffset time) => IsoTime.Minutes(time);

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static JsonObject TextBlock(string text, string? weight = null, string? size = null, string? color = null, bool subtle = false, bool separator = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        Set(block, "weight", weight);
        Set(block, "size", size);
        Set(block, "color", color);
        if (subtle)
        {
            block["isSubtle"] = true;
        }

        if (separator)
        {
            block["separator"] = true;
        }

        return block;
    }

    private static JsonObject Facts(params (string Title, string Value)[] facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray(facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = f.Value }).ToArray()),
    };

    private static JsonObject Rich(params JsonObject[] runs) => new()
    {
        ["type"] = "RichTextBlock",
        ["inlines"] = new JsonArray(runs.Where(r => r["text"]!.GetValue<string>().Length > 0).Select(r => (JsonNode)r).ToArray()),
    };

    private static JsonObject Run(string text, bool bold = false, bool subtle = false, string? color = null)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = text };
        if (bold)
        {
            run["weight"] = "Bolder";
        }

        if (subtle)
        {
            run["isSubtle"] = true;
        }

        Set(run, "color", color);
        return run;
    }

    private static void Set(JsonObject node, string name, string? value)
    {
        if (value is not null)
        {
            node[name] = value;
        }
    }
}
