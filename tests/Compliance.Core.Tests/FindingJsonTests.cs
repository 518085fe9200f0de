using System.Text.Json;
using Compliance.Core.Findings;

namespace Compliance.Core.Tests;

/// <summary>The one finding document, the one home of wire names and of time formats.</summary>
public sealed class FindingJsonTests
{
    private static readonly Finding Sample = new()
    {
        FindingId = FindingId.Compute("AZ-ENC-001", "/subscriptions/s/rg/st"),
        RuleId = "AZ-ENC-001",
        RuleTitle = "Storage accounts require TLS 1.2",
        PackId = "azure-encryption",
        PackVersion = "1.0.0",
        ResourceId = "/subscriptions/s/rg/st",
        ResourceName = "名前 \"st\" <b>",
        ResourceType = "Microsoft.Storage/storageAccounts",
        Location = "westeurope",
        SubscriptionId = "s",
        Tags = new Dictionary<string, string> { ["env"] = "prod" },
        Outcome = Outcome.Suppressed,
        Severity = Severity.Informational,
        Category = RuleCategory.Encryption,
        Reason = "properties.minimumTlsVersion is 'TLS1_0'; expected 'TLS1_2'.",
        Message = "Storage account 'st' accepts TLS1_0",
        Evidence = [new EvidenceItem("properties.minimumTlsVersion", "\"TLS1_0\"", "'TLS1_2'", false, "m")],
        Controls = new Dictionary<string, IReadOnlyList<string>> { ["NIST-800-53-r5"] = ["SC-8", "SC-13"] },
        Remediation = "Set it.",
        SuppressionJustification = "CHG-1 (owner: a@b)",
        SuppressionExpiresOn = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
        SuppressionId = "s-1",
        SuppressionBroad = true,
    };

    [Fact]
    public void The_document_reads_back_as_the_same_finding_and_carries_the_run_context_last()
    {
        var json = FindingJson.Serialize(Sample, new FindingContext("persisting", "/subscriptions/s", Carried: true));

        var back = FindingJson.Deserialize(json)!;
        Assert.Equal(FindingJson.Serialize(Sample), FindingJson.Serialize(back));
        using var doc = JsonDocument.Parse(json);
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["historyStatus", "scopeId", "carried"], names[^3..]);
        Assert.Equal("suppressed", doc.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("message", names[names.IndexOf("reason") + 1]);
        Assert.Equal("Storage account 'st' accepts TLS1_0", doc.RootElement.GetProperty("message").GetString());
        Assert.Equal("informational", doc.RootElement.GetProperty("severity").GetString());
        Assert.Equal("2027-01-01T00:00:00Z", doc.RootElement.GetProperty("suppressionExpiresOn").GetString());
        Assert.Contains("名前 \\\"st\\\" <b>", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finding_without_a_message_has_no_message_property()
    {
        using var doc = JsonDocument.Parse(FindingJson.Serialize(Sample with { Message = null }));

        Assert.False(doc.RootElement.TryGetProperty("message", out _));
        Assert.Null(FindingJson.Deserialize(FindingJson.Serialize(Sample with { Message = null }))!.Message);
    }

    [Fact]
    public void Wire_names_are_lower_camel_case_and_parse_back_ignoring_case_but_never_from_numbers()
    {
        Assert.Equal("informational", Severity.Informational.ToWire());
        Assert.Equal(["pass", "fail", "error", "suppressed"], EnumNames.Names<Outcome>());
        Assert.True(EnumNames.TryParse<Outcome>("FAIL", out var fail));
        Assert.Equal(Outcome.Fail, fail);
        Assert.False(EnumNames.TryParse<Outcome>("1", out _));
        Assert.Equal(string.Empty, ((Outcome?)null).ToWire());
        Assert.Throws<FormatException>(() => EnumNames.Parse<Severity>("urgent"));
    }

    [Fact]
    public void Times_are_written_in_utc_in_the_tool_s_formats()
    {
        var time = new DateTimeOffset(2026, 11, 27, 3, 4, 5, TimeSpan.FromHours(1)).AddTicks(5);

        Assert.Equal("2026-11-27T02:04:05Z", IsoTime.Seconds(time));
        Assert.Equal("2026-11-27T02:04:05.0000005Z", IsoTime.Sortable(time));
        Assert.Equal("2026-11-27T02:04:05.0000005Z", IsoTime.Exact(time));
        Assert.Equal("2026-11-27T02:04:05Z", IsoTime.Exact(time.AddTicks(-5)));
        Assert.Equal("20261127T020405Z", IsoTime.Compact(time));
        Assert.Equal(time, IsoTime.ParseSortable(IsoTime.Sortable(time)));
    }
}
