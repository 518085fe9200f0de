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
    public void A_card_over_the_size_limit_is_cut_to_fit_with_and_N_more_lines_and_matches_the_approved_file()
    {
        var alert = LargeAlert(findings: 20, unreadScopes: 60);

        // Uncut, this card is over Teams' limit: the case the cap exists for.
        var uncut = TeamsCard.Build(alert, maxBytes: int.MaxValue);
        Assert.True(TeamsCard.Size(uncut) > TeamsCard.TeamsLimitBytes, $"the uncut card has {TeamsCard.Size(uncut)} bytes");

        var card = TeamsCard.Build(alert);
        var size = TeamsCard.Size(card);
        Assert.InRange(size, TeamsCard.MaxPayloadBytes - 2048, TeamsCard.MaxPayloadBytes);
        var text = string.Join("\n", Descendants(card).Select(n => n["text"]?.GetValue<string>()).OfType<string>());
        Assert.Matches(@"… and \d+ more\.", text);
        Assert.Matches(@"… and \d+ more scope\(s\) not read completely", text);

        // Both kinds stay on the card: the most severe findings and the first scopes that could not be read.
        var body = card["attachments"]![0]!["content"]!["body"]!.AsArray();
        var findings = body.Count(b => b!["type"]!.GetValue<string>() == "Container");
        Assert.InRange(findings, 3, 19);
        Assert.Contains("Subscription 00", text, StringComparison.Ordinal);
        Assert.Contains("Subscription 01", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Subscription 59", text, StringComparison.Ordinal);
        Assert.Contains($"Top {findings} findings", text, StringComparison.Ordinal);
        Assert.Contains($"… and {alert.Count - findings} more.", text, StringComparison.Ordinal);
        Assert.NotNull(card["attachments"]![0]!["content"]!["actions"]);

        Golden.Verify("teams-card-truncated.approved.json", TeamsCard.ToIndentedJson(card));
    }

    [Fact]
    public void A_card_under_the_limit_is_not_cut()
    {
        var alert = Alert();
        Assert.Equal(TeamsCard.ToIndentedJson(TeamsCard.Build(alert, maxBytes: int.MaxValue)), TeamsCard.ToIndentedJson(TeamsCard.Build(alert)));
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

    /// <summary>
    /// An outage: <paramref name="unreadScopes"/> subscriptions denied (the 403 message the collector
    /// writes), and <paramref name="findings"/> top findings whose names and reasons are long (non-ASCII
    /// text is escaped in the POST body, as Teams receives it).
    /// </summary>
    internal static RunAlert LargeAlert(int findings, int unreadScopes)
    {
        var alert = Alert();
        var scopes = new List<RunScope> { new(Prod, "Prod", ScopeStatus.Ok), new("/tenants/" + Tenant, "Northwind Traders", ScopeStatus.Ok) };
        for (var i = 0; i < unreadScopes; i++)
        {
            var id = $"9a4e2b7c-1f3d-4c6a-8e5b-{i:D12}";
            scopes.Add(new RunScope("/subscriptions/" + id, $"Subscription {i:D2} – Fabrikam Production Workloads", ScopeStatus.Error,
                $"403 on subscription 'Subscription {i:D2}' ({id}): the scanner's identity needs Reader on it (or on its management group); AuthorizationFailed: The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read'"));
        }

        var top = Enumerable.Range(0, findings).Select(i => new StoredFinding(
            new Finding
            {
                FindingId = FindingId.Compute("AZ-ENC-001", "st" + i),
                RuleId = i % 2 == 0 ? "AZ-ENC-001" : "AZ-FW-020",
                RuleTitle = i % 2 == 0 ? "Storage accounts require TLS 1.2 or newer" : "SQL servers have no firewall rule open to the whole internet",
                PackId = "azure",
                PackVersion = "1.0.0",
                ResourceId = $"{Prod}/resourceGroups/rg-data-{i:D2}/providers/Microsoft.Storage/storageAccounts/stfabrikamproddata{i:D2}",
                ResourceName = $"stfabrikamproddata{i:D2}",
                ResourceType = "microsoft.storage/storageaccounts",
                Outcome = Outcome.Fail,
                Severity = i < 3 ? Severity.Critical : Severity.High,
                Category = RuleCategory.Encryption,
                Reason = $"properties.minimumTlsVersion is 'TLS1_0'; expected one of ['TLS1_2', 'TLS1_3'] — account {i:D2} of the « données clients » workload, tagged owner 'équipe-données'",
            },
            Prod,
            i % 3 == 0 ? HistoryStatus.Regressed : HistoryStatus.New)).ToList();
        return alert with
        {
            Run = alert.Run with { Scopes = scopes },
            Count = findings + 37,
            BySeverity = new Dictionary<Severity, int> { [Severity.Critical] = 3, [Severity.High] = findings + 34 },
            ByCategory = new Dictionary<RuleCategory, int> { [RuleCategory.Encryption] = findings + 37 },
            Top = top,
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
