using System.Buffers;
using System.Text;
using System.Text.Json;
using Compliance.Core.Findings;

namespace Compliance.Core.Tests;

/// <summary>
/// A writer of many findings keeps each rule's shared text encoded (FindingJsonRules); what it
/// writes must be the document FindingJson writes without it, byte for byte, whatever the findings
/// of a rule say differently from the last one.
/// </summary>
public sealed class FindingJsonRulesTests
{
    private static readonly Finding Pass = new()
    {
        FindingId = FindingId.Compute("AZ-ENC-001", "/subscriptions/s/rg/st1"),
        RuleId = "AZ-ENC-001",
        RuleTitle = "Storage accounts require TLS \"1.2\" <b>名前</b>",
        PackId = "azure-encryption",
        PackVersion = "1.0.0",
        ResourceId = "/subscriptions/s/rg/st1",
        ResourceName = "st1",
        ResourceType = "microsoft.storage/storageaccounts",
        Outcome = Outcome.Pass,
        Severity = Severity.High,
        Category = RuleCategory.Encryption,
        Reason = "Compliant: Storage accounts require TLS \"1.2\".",
        Evidence = [],
        Controls = new Dictionary<string, IReadOnlyList<string>> { ["CIS-Azure-3.0.0"] = ["4.15"], ["NIST-800-53-r5"] = ["SC-8", "SC-13"] },
        Remediation = "Portal: Storage account > Configuration > Minimum TLS version: Version 1.2. CLI: az storage account update --min-tls-version TLS1_2",
    };

    [Fact]
    public void Findings_written_with_the_rule_texts_kept_are_the_documents_written_without()
    {
        var fail = Pass with
        {
            FindingId = FindingId.Compute("AZ-ENC-001", "/subscriptions/s/rg/st2"),
            ResourceId = "/subscriptions/s/rg/st2",
            Outcome = Outcome.Fail,
            Reason = "properties.minimumTlsVersion is 'TLS1_0'; expected 'TLS1_2'",
            Evidence = [new EvidenceItem("properties.minimumTlsVersion", "'TLS1_0'", "'TLS1_2'", false, "m")],
        };
        var findings = new List<Finding>
        {
            Pass,
            fail,
            Pass with { Reason = string.Concat("Compliant: ", "Storage accounts require TLS \"1.2\".".AsSpan()) }, // equal text, another string
            Pass with { Reason = "Compliant: 1 of 1 private endpoints approved.", Evidence = [new EvidenceItem("p", "1", "1", true, "ok")] },
            Pass,
            Pass with { RuleTitle = "Storage accounts require TLS 1.3", PackVersion = "2.0.0" },                   // the rule changed between packs
            Pass with { Remediation = null },
            Pass,
            Pass with { Controls = new Dictionary<string, IReadOnlyList<string>> { ["ISO-27001-2022"] = ["A.8.24"] } },
            Pass with { Controls = new Dictionary<string, IReadOnlyList<string>>() },
            Pass with { RuleId = "AZ-FW-010", RuleTitle = "Other", Remediation = "Other remediation" },
            Pass,
            fail,
        };
        var rules = new FindingJsonRules();

        foreach (var finding in findings)
        {
            var context = new FindingContext(finding.Outcome == Outcome.Fail ? "persisting" : null, "/subscriptions/s");
            Assert.Equal(FindingJson.Serialize(finding, context), Write(finding, context, rules));
        }
    }

    [Fact]
    public void The_kept_texts_are_escaped_as_the_writer_escapes_them()
    {
        var json = Write(Pass, default, new FindingJsonRules());

        using var document = JsonDocument.Parse(json);
        Assert.Equal(Pass.RuleTitle, document.RootElement.GetProperty("ruleTitle").GetString());
        Assert.Equal(Pass.Reason, document.RootElement.GetProperty("reason").GetString());
        Assert.Equal(["SC-8", "SC-13"], document.RootElement.GetProperty("controls").GetProperty("NIST-800-53-r5").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("<b>名前</b>", json, StringComparison.Ordinal);
    }

    private static string Write(Finding finding, FindingContext context, FindingJsonRules rules)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, FindingJson.WriterOptions(indented: false)))
        {
            FindingJson.Write(writer, finding, context, rules);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
