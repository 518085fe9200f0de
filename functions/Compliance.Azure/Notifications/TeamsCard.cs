using System.Globalization;
using System.Text;
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

    /// <summary>
    /// Teams refuses a webhook message over 28 KB ("The message size limit is 28 KB", Microsoft Learn,
    /// Teams platform: "Create Incoming Webhooks" and "Limits and specifications for Microsoft Teams").
    /// The limit counts the whole POST body.
    /// </summary>
    public const int TeamsLimitBytes = 28 * 1024;

    /// <summary>
    /// The largest POST body we send: well under <see cref="TeamsLimitBytes"/>, because Teams' own count
    /// (after it wraps the card in its message) is not documented byte for byte, and senders report
    /// rejections near 21 KB. A bigger card is cut down to this, with "… and N more" lines.
    /// </summary>
    public const int MaxPayloadBytes = 20 * 1024;

    /// <summary>
    /// The webhook payload: { "type": "message", "attachments": [ the card ] }, at most
    /// <paramref name="maxBytes"/> bytes of UTF-8 as <see cref="Serialize"/> writes it. What does not fit
    /// — findings first from the end of the ranking, scopes from the end of the list — is counted in
    /// "… and N more" lines; the header, the counts and the link always stay.
    /// </summary>
    public static JsonObject Build(RunAlert alert, int maxBytes = MaxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var findings = alert.Top.Select(FindingBlock).ToList();
        var unread = alert.Run.Scopes.Where(s => s.Status != ScopeStatus.Ok).ToList();
        var scopes = unread.Select(ScopeBlock).ToList();

        var shownFindings = findings.Count;
        var shownScopes = scopes.Count;
        var payload = Compose(alert, findings, shownFindings, scopes, shownScopes);
        if (Size(payload) <= maxBytes)
        {
            return payload;
        }

        // Too big: start from the frame (every count, no finding, no scope) and add blocks while they fit,
        // findings and scopes taking turns so that an outage of many subscriptions still shows findings, and
        // many findings do not hide which scopes could not be read.
        var frame = Size(Compose(alert, findings, 0, scopes, 0));
        var room = maxBytes - frame - MoreLineAllowance;
        int Cost(JsonObject block) => Encoding.UTF8.GetByteCount(block.ToJsonString(Compact)) + 1;
        shownFindings = 0;
        shownScopes = 0;
        var progress = true;
        while (progress)
        {
            progress = false;
            if (shownFindings < findings.Count && Cost(findings[shownFindings]) <= room)
            {
                room -= Cost(findings[shownFindings++]);
                progress = true;
            }

            if (shownScopes < scopes.Count && Cost(scopes[shownScopes]) <= room)
            {
                room -= Cost(scopes[shownScopes++]);
                progress = true;
            }
        }

        // The estimate is exact but for the counts' digits; the measure decides.
        payload = Compose(alert, findings, shownFindings, scopes, shownScopes);
        while (Size(payload) > maxBytes && (shownFindings > 0 || shownScopes > 0))
        {
            if (shownScopes >= shownFindings && shownScopes > 0)
            {
                shownScopes--;
            }
            else
            {
                shownFindings--;
            }

            payload = Compose(alert, findings, shownFindings, scopes, shownScopes);
        }

        return payload;
    }

    /// <summary>The POST body: the payload as compact JSON in UTF-8 (what the size cap measures).</summary>
    public static byte[] Serialize(JsonObject payload) => Encoding.UTF8.GetBytes(payload.ToJsonString(Compact));

    /// <summary>The size of the POST body of <paramref name="payload"/>, in bytes.</summary>
    public static int Size(JsonObject payload) => Serialize(payload).Length;

    /// <summary>Room kept for the two "… and N more" lines a cut card gains.</summary>
    private const int MoreLineAllowance = 400;

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private static JsonObject Compose(RunAlert alert, List<JsonObject> findings, int shownFindings, List<JsonObject> scopes, int shownScopes)
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
            TextBlock(shownFindings == alert.Count ? "Findings" : $"Top {shownFindings} findings", weight: "Bolder", separator: true),
        };
        if (run.Status == RunStatus.Suspect)
        {
            // Said before anything else it shows: nothing this run lacks was taken as fixed.
            body.Insert(1, TextBlock($"Suspect run: nothing was resolved. {CardText.Plain(run.SuspectReason ?? "no reason recorded", 400)}", weight: "Bolder", color: "Warning"));
        }

        // Blocks are shared between compositions: each goes into the new array as a copy.
        foreach (var block in findings.Take(shownFindings))
        {
            body.Add(block.DeepClone());
        }

        if (alert.Count > shownFindings)
        {
            body.Add(TextBlock($"… and {alert.Count - shownFindings} more.", subtle: true));
        }

        if (scopes.Count > 0)
        {
            body.Add(TextBlock($"Not read completely this run ({scopes.Count}): nothing in these scopes is reported as compliant", weight: "Bolder", color: "Warning", separator: true));
            foreach (var block in scopes.Take(shownScopes))
            {
                body.Add(block.DeepClone());
            }

            if (scopes.Count > shownScopes)
            {
                body.Add(TextBlock($"… and {scopes.Count - shownScopes} more scope(s) not read completely: see the run's scopes.", subtle: true));
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

    private static JsonObject ScopeBlock(RunScope scope) => Rich(
        Run(CardText.Plain(scope.DisplayName ?? scope.Id, 80), bold: true),
        Run($" ({scope.Status.ToWire()}) "),
        Run(CardText.Plain(scope.Error ?? "never reported", 240), subtle: true));

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
