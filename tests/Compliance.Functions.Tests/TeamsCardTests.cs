using System.Text.Json.Nodes;
using Compliance.Azure.Notifications;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;

namespace Compliance.Functions.Tests;

/// <summary>The Teams card people read: golden file, and tenant-controlled text that cannot act.</summary>
public sealed class TeamsCardTests
{
    private const string Tenant = "7f3e2d1c-4b5a-4e6f-9a8b-0c1d2e3f4a5b";
    private const string Prod = "/subscriptions/3b1f6c2e-8d4a-4f7b-9c1e-2a5d7e9f0b13";

    [Fact]
    public void The_card_matches_the_approved_file()
    {
        Golden.Verify("teams-card.approved.json", TeamsCard.ToIndentedJson(TeamsCard.Build(Alert())));
    }

    [Fact]
    public void Tenant_controlled_text_goes_only_into_text_runs_and_cannot_link_mention_or_format()
    {
        var payload = TeamsCard.Build(Alert());
        var card = payload["attachments"]![0]!["content"]!.AsObject();

        // TextBlocks and facts (which render Markdown) hold only our own words.
        foreach (var node in Descendants(card).Where(n => n["type"]?.GetValue<string>() == "TextBlock"))
        {
            Assert.DoesNotContain("evil", node["text"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }

        foreach (var fact in Descendants(card).Where(n => n["type"]?.GetValue<string>() == "FactSet").SelectMany(n => n["facts"]!.AsArray()))
        {
            Assert.DoesNotContain("evil", fact!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }

        var runs = Descendants(card).Where(n => n["type"]?.GetValue<string>() == "TextRun").Select(n => n["text"]!.GetValue<string>()).ToList();
        var hostile = Assert.Single(runs, r => r.Contains("click", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", hostile, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>", hostile, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", hostile, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', string.Concat(runs));
        Assert.DoesNotContain('\u202E', string.Concat(runs));

        // The only link is ours.
        var urls = Descendants(card).Where(n => n["url"] is not null).Select(n => n["url"]!.GetValue<string>()).ToList();
        Assert.Equal(["https://func-compliance.azurewebsites.net/api/runs/20261127T020000Z-3f9c1a2b/findings?status=new,regressed"], urls);
    }

    [Theory]
    [InlineData("[click](https://evil.example)", "[click](https:\u2060//evil.example)")]
    [InlineData("<at>CEO</at> please approve", "<\u2060at>CEO<\u2060/at> please approve")]
    [InlineData("see www.evil.example now", "see www\u2060.evil.example now")]
    [InlineData("{{DATE(2017-02-14T06:08:00Z)}}", "{\u2060{DATE(2017-02-14T06:08:00Z)}}")]
    [InlineData("line1\r\nline2\tend", "line1 line2 end")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("**bold** _it_ `code`", "**bold** _it_ `code`")]
    [InlineData(null, "")]
    public void Card_text_removes_what_could_act_and_keeps_what_a_person_reads(string? input, string expected)
    {
        Assert.Equal(expected, CardText.Plain(input));
    }

    [Fact]
    public void Card_text_is_capped_without_splitting_a_character()
    {
        var text = CardText.Plain(string.Concat(Enumerable.Repeat("ab😀", 100)), maxLength: 10);
        Assert.True(text.Length <= 10);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(text[^2]));
    }

    internal static RunAlert Alert()
    {
        var run = new RunRecord
        {
            RunId = "20261127T020000Z-3f9c1a2b",
            TenantId = Tenant,
            StartedAt = new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero),
            FinishedAt = new DateTimeOffset(2026, 11, 27, 2, 4, 10, TimeSpan.Zero),
            Status = RunStatus.Completed,
            PreviousRunId = "20261126T020000Z-0a1b2c3d",
            Scopes =
            [
                new RunScope(Prod, "Prod", ScopeStatus.Ok),
                new RunScope("/subscriptions/9a4e2b7c-1f3d-4c6a-8e5b-7d2f0a1c3e57", "Dev <at>Admins</at>", ScopeStatus.Error, "403 on subscription 'Dev': the scanner's identity needs Reader on it"),
                new RunScope("/tenants/" + Tenant, "Northwind [Traders](https://evil.example)", ScopeStatus.Ok),
            ],
        };
        StoredFinding Stored(string rule, string title, string name, Severity severity, RuleCategory category, string reason, HistoryStatus status, string type = "microsoft.storage/storageaccounts") => new(
            new Finding
            {
                FindingId = FindingId.Compute(rule, name),
                RuleId = rule,
                RuleTitle = title,
                PackId = "azure",
                PackVersion = "1.0.0",
                ResourceId = $"{Prod}/resourceGroups/rg/providers/{type}/{name}",
                ResourceName = name,
                ResourceType = type,
                Outcome = Outcome.Fail,
                Severity = severity,
                Category = category,
                Reason = reason,
            },
            Prod,
            status);
        return new RunAlert
        {
            Run = run,
            MinimumSeverity = Severity.High,
            Count = 7,
            BySeverity = new Dictionary<Severity, int> { [Severity.Critical] = 1, [Severity.High] = 6 },
            ByCategory = new Dictionary<RuleCategory, int> { [RuleCategory.Firewall] = 2, [RuleCategory.Encryption] = 5 },
            Top =
            [
                Stored("AZ-FW-020", "SQL servers have no firewall rule open to the whole internet", "sql-prod", Severity.Critical, RuleCategory.Firewall, "1 firewall rule allows 0.0.0.0-255.255.255.255", HistoryStatus.New, "microsoft.sql/servers"),
                Stored("AZ-ENC-001", "Storage accounts require TLS 1.2 or newer", "stlegacy01", Severity.High, RuleCategory.Encryption, "properties.minimumTlsVersion is 'TLS1_0'; expected one of ['TLS1_2', 'TLS1_3']", HistoryStatus.Regressed),
                Stored("AZ-ENC-002", "Storage accounts accept HTTPS only", "[click](https://evil.example) <at>CEO</at> {{DATE(2017-02-14T06:08:00Z)}}\nnext\u202Eline", Severity.High, RuleCategory.Encryption, "tags['owner'] is '**evil** www.evil.example'", HistoryStatus.New),
            ],
            FindingsUrl = new Uri("https://func-compliance.azurewebsites.net/api/runs/20261127T020000Z-3f9c1a2b/findings?status=new,regressed"),
        };
    }

    private static IEnumerable<JsonObject> Descendants(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        foreach (var d in Descendants(child))
                        {
                            yield return d;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        foreach (var d in Descendants(item))
                        {
                            yield return d;
                        }
                    }
                }

                break;
        }
    }
}
