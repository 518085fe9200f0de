using System.Text.RegularExpressions;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Compliance.Core.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Core.Tests;

/// <summary>
/// The built-in packs as a product: enough rules per category, every rule documented, mapped and
/// tested, and every rule exercised by the bundled sample tenant.
/// </summary>
public sealed partial class BundledRulePackTests
{
    private static readonly Dictionary<RuleCategory, string> IdPrefixes = new()
    {
        [RuleCategory.Firewall] = "AZ-FW-",
        [RuleCategory.Encryption] = "AZ-ENC-",
        [RuleCategory.Patching] = "AZ-PAT-",
        [RuleCategory.Access] = "AZ-ACC-",
    };

    private static readonly Lazy<IReadOnlyList<RulePack>> Packs = new(() =>
        RulePackLoader.Load(RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow());

    private static IEnumerable<Rule> Rules => Packs.Value.SelectMany(p => p.Rules);

    [Fact]
    public void Each_category_has_at_least_15_rules_and_there_are_at_least_60_in_all()
    {
        foreach (var category in IdPrefixes.Keys)
        {
            var count = Rules.Count(r => r.Category == category);
            Assert.True(count >= 15, $"{category} has {count} rules");
        }

        Assert.True(Rules.Count() >= 60, $"{Rules.Count()} rules");
    }

    [Fact]
    public void Rule_ids_carry_the_prefix_of_their_category()
    {
        foreach (var rule in Rules)
        {
            Assert.Matches($"^{IdPrefixes[rule.Category]}[0-9]{{3}}$", rule.Id);
        }
    }

    [Fact]
    public void Every_rule_describes_the_risk_and_gives_portal_and_cli_remediation_and_microsoft_docs()
    {
        foreach (var rule in Rules)
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Description), $"{rule.Id} has no description");
            Assert.NotNull(rule.Remediation);
            Assert.True(rule.Remediation.Contains("Portal:", StringComparison.Ordinal) || rule.Remediation.StartsWith("Ask ", StringComparison.Ordinal), $"{rule.Id}: remediation without portal steps");
            Assert.Contains(" az ", rule.Remediation, StringComparison.Ordinal);
            Assert.NotEmpty(rule.Links);
            Assert.All(rule.Links, l => Assert.StartsWith("https://learn.microsoft.com/", l, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_rule_maps_to_NIST_800_53_r5_and_ISO_27001_2022_with_well_formed_ids()
    {
        foreach (var rule in Rules)
        {
            Assert.True(rule.Controls.TryGetValue("NIST-800-53-r5", out var nist) && nist.Count > 0, $"{rule.Id} has no NIST controls");
            Assert.True(rule.Controls.TryGetValue("ISO-27001-2022", out var iso) && iso.Count > 0, $"{rule.Id} has no ISO controls");
            Assert.All(nist, id => Assert.Matches(NistId(), id));
            Assert.All(iso, id => Assert.Matches(IsoId(), id));
            if (rule.Controls.TryGetValue("CIS-Azure-3.0.0", out var cis))
            {
                Assert.All(cis, id => Assert.Matches(CisId(), id));
            }
        }
    }

    [Fact]
    public async Task Every_fixture_of_the_bundled_packs_gives_its_expected_outcome()
    {
        var report = await new RuleTestRunner(new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero))).RunAsync(Packs.Value);

        var failures = report.Results.Where(r => !r.Passed).Select(r => $"{r.RuleId} \"{r.TestName}\": {r.Message}").ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(report.Passed >= 2 * Rules.Count());
    }

    [Fact]
    public async Task The_sample_tenant_gives_every_rule_at_least_one_pass_or_fail()
    {
        var rules = CompiledRuleSet.Compile(Packs.Value);
        using var reader = SnapshotReader.OpenFile(RepoPaths.File("samples", "northwind-tenant.json"));
        var decided = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var finding in new ScanEngine(new FakeTimeProvider(DateTimeOffset.UnixEpoch)).ScanAsync(reader, rules))
        {
            if (finding.Outcome is Outcome.Pass or Outcome.Fail)
            {
                decided.Add(finding.RuleId);
            }
        }

        var undecided = Rules.Select(r => r.Id).Where(id => !decided.Contains(id)).ToList();
        Assert.True(undecided.Count == 0, "no pass or fail in the sample for: " + string.Join(", ", undecided));
    }


    [Fact]
    public async Task Nsg_rules_that_list_their_ports_and_sources_give_verdicts_not_errors()
    {
        // The shape ARM returns when a security rule uses the plural lists: the singulars are "".
        static string Rule(string name, string ports, string sources) => $$"""
            { "name": "{{name}}", "properties": { "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": 100,
              "sourcePortRange": "*", "sourcePortRanges": [], "destinationPortRange": "", "destinationPortRanges": {{ports}},
              "sourceAddressPrefix": "", "sourceAddressPrefixes": {{sources}}, "destinationAddressPrefix": "*", "destinationAddressPrefixes": [] } }
            """;
        static string Nsg(string name, string rule) => $$"""
            { "id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/{{name}}",
              "name": "{{name}}", "type": "microsoft.network/networksecuritygroups", "properties": { "securityRules": [ {{rule}} ] } }
            """;
        var snapshot = "{\"schemaVersion\":1,\"resources\":[" +
            Nsg("open", Rule("admin", """["22","3389","1433"]""", """["0.0.0.0/0"]""")) + "," +
            Nsg("closed", Rule("web", """["80","443"]""", """["10.0.0.0/8"]""")) + "]}";
        var rules = CompiledRuleSet.Compile(Packs.Value);

        var findings = new List<Finding>();
        using var reader = SnapshotReader.Open(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(snapshot)), "nsgs.json");
        await foreach (var finding in new ScanEngine(new FakeTimeProvider(DateTimeOffset.UnixEpoch)).ScanAsync(reader, rules))
        {
            findings.Add(finding);
        }

        Assert.DoesNotContain(findings, f => f.Outcome == Outcome.Error);
        foreach (var id in new[] { "AZ-FW-001", "AZ-FW-002", "AZ-FW-005" })
        {
            Assert.Equal(Outcome.Fail, findings.Single(f => f.RuleId == id && f.ResourceName == "open").Outcome);
            Assert.Equal(Outcome.Pass, findings.Single(f => f.RuleId == id && f.ResourceName == "closed").Outcome);
        }
    }

    [GeneratedRegex(@"^[A-Z]{2}-[0-9]{1,2}(\([0-9]{1,2}\))?$")]
    private static partial Regex NistId();

    [GeneratedRegex(@"^A\.[5-8]\.[0-9]{1,2}$")]
    private static partial Regex IsoId();

    [GeneratedRegex(@"^[0-9]{1,2}(\.[0-9]{1,2}){1,3}$")]
    private static partial Regex CisId();
}
