using System.Text;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Core.Tests.GroundTruth;

/// <summary>
/// The messages of the built-in rules as a person reads them: on the sample tenant (with the display
/// names its collector-style <c>displayNames</c> carries) and on Microsoft's own example resources
/// (tests/Corpus), pinned in golden files under TestData/Golden (COMPLIANCE_APPROVE=1 accepts a change).
/// </summary>
public sealed class MessageGroundTruthTests
{
    private static readonly Lazy<IReadOnlyList<RulePack>> Packs = new(() => RulePackLoader.Load(RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow());

    private static async Task<List<Finding>> ScanSampleAsync()
    {
        using var reader = SnapshotReader.OpenFile(RepoPaths.File("samples", "northwind-tenant.json"));
        var findings = new List<Finding>();
        await foreach (var finding in new ScanEngine(new FakeTimeProvider(DateTimeOffset.Parse("2027-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture))).ScanAsync(reader, CompiledRuleSet.Compile(Packs.Value)))
        {
            findings.Add(finding);
        }

        return findings;
    }

    private static string Listing(IEnumerable<(string Scenario, Finding Finding)> findings)
    {
        var sb = new StringBuilder();
        foreach (var (scenario, f) in findings.Where(x => x.Finding.Outcome == Outcome.Fail)
                     .OrderBy(x => x.Scenario, StringComparer.Ordinal).ThenBy(x => x.Finding.RuleId, StringComparer.Ordinal).ThenBy(x => x.Finding.ResourceId, StringComparer.OrdinalIgnoreCase))
        {
            sb.Append(scenario.Length > 0 ? scenario + " | " : string.Empty).Append(f.RuleId).Append(" | ").Append(f.ResourceName).Append(" | ").Append(f.Message).Append('\n');
        }

        return sb.ToString();
    }

    [Fact]
    public void Every_built_in_rule_has_a_message_template()
    {
        var without = Packs.Value.SelectMany(p => p.Rules).Where(r => r.Message is null).Select(r => r.Id).ToList();

        Assert.True(without.Count == 0, "rules without a message: " + string.Join(", ", without));
    }

    [Fact]
    public async Task Every_failing_finding_of_the_sample_reads_in_plain_words()
    {
        var findings = await ScanSampleAsync();
        var fails = findings.Where(f => f.Outcome == Outcome.Fail).ToList();

        Assert.NotEmpty(fails);
        Assert.All(fails, f => Assert.False(string.IsNullOrWhiteSpace(f.Message), f.RuleId));
        Assert.All(fails, f => Assert.DoesNotContain("[parameters(", f.Message!, StringComparison.Ordinal));
        Assert.All(fails, f => Assert.DoesNotContain("matching the where condition", f.Message!, StringComparison.Ordinal));
        Assert.Contains(fails, f => f.RuleId == "AZ-ACC-005" && f.Message == "Guest lee@oldvendor.example holds User Access Administrator on subscription Northwind Production");
        Assert.Contains(fails, f => f.RuleId == "AZ-ACC-004" && f.Message == "Service principal nw-deploy-pipeline holds Owner on subscription Northwind Production");
        Assert.Contains(fails, f => f.RuleId == "AZ-FW-001" && f.Message == "Rule allow-rdp-anywhere allows RDP (3389) from *");
        Assert.Contains(fails, f => f.RuleId == "AZ-ACC-001" && f.Message!.StartsWith("Subscription Northwind Production has 4 Owners (at most 3): anna.devries@northwind.example", StringComparison.Ordinal));
        Assert.Contains(fails, f => f.RuleId == "AZ-ENC-001" && f.Message == "Storage account nwproddata01 has minimum TLS version TLS1_0; allowed: TLS1_2, TLS1_3");

        Golden.Verify("messages-sample.approved.txt", Listing(findings.Select(f => (string.Empty, f))));
    }

    [Fact]
    public async Task The_messages_on_Microsoft_s_example_resources_are_pinned()
    {
        var all = new List<(string, Finding)>();
        foreach (var scenario in CorpusScan.Scenarios)
        {
            all.AddRange((await CorpusScan.ScanAsync(scenario)).Select(f => (scenario.Name, f)));
        }

        var fails = all.Where(x => x.Item2.Outcome == Outcome.Fail).Select(x => x.Item2).ToList();
        Assert.NotEmpty(fails);
        Assert.All(fails, f => Assert.False(string.IsNullOrWhiteSpace(f.Message), f.RuleId));

        // Without displayNames (Microsoft's examples carry none), a role assignment shows the ids it holds.
        Assert.Contains(fails, f => f.RuleId is "AZ-ACC-004" or "AZ-ACC-005" && f.Message!.Contains("holds /", StringComparison.Ordinal));
        Golden.Verify("messages-corpus.approved.txt", Listing(all));
    }
}
