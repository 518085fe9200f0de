using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>Findings carry readable evidence: path, observed, expected, in a sentence.</summary>
public sealed class EvidenceTests
{
    [Fact]
    public async Task A_failing_leaf_reads_as_a_sentence()
    {
        var f = await EvaluateAsync("""{"field":"properties.minimumTlsVersion","equals":"TLS1_2"}""", """{"minimumTlsVersion":"TLS1_0"}""");

        Assert.Equal("properties.minimumTlsVersion is 'TLS1_0'; expected 'TLS1_2'", f.Reason);
        var e = Assert.Single(f.Evidence);
        Assert.False(e.Satisfied);
    }

    [Fact]
    public async Task A_missing_value_is_shown_as_missing()
    {
        var f = await EvaluateAsync("""{"field":"properties.minimumTlsVersion","equals":"TLS1_2"}""", "{}");

        Assert.Equal("properties.minimumTlsVersion is missing; expected 'TLS1_2'", f.Reason);
    }

    [Fact]
    public async Task Under_not_the_evidence_states_what_was_really_expected()
    {
        var f = await EvaluateAsync("""{"not":{"field":"properties.publicNetworkAccess","equals":"Enabled"}}""", """{"publicNetworkAccess":"Enabled"}""");

        Assert.Equal(Outcome.Fail, f.Outcome);
        Assert.Equal("properties.publicNetworkAccess is 'Enabled'; expected a value other than 'Enabled'", f.Reason);
    }

    [Fact]
    public async Task Every_failing_leaf_of_an_allOf_is_reported_and_passing_ones_are_not()
    {
        var f = await EvaluateAsync(
            """{"allOf":[{"field":"properties.a","equals":1},{"field":"properties.b","equals":2},{"field":"properties.c","equals":3}]}""",
            """{"a":1,"b":5,"c":6}""");

        Assert.Equal(["properties.b", "properties.c"], f.Evidence.Select(e => e.Path));
    }

    [Fact]
    public async Task With_pass_evidence_a_pass_carries_the_evidence_of_what_held()
    {
        var f = await EvaluateAsync("""{"field":"properties.supportsHttpsTrafficOnly","equals":true}""", """{"supportsHttpsTrafficOnly":true}""", passEvidence: true);

        Assert.Equal(Outcome.Pass, f.Outcome);
        var e = Assert.Single(f.Evidence);
        Assert.True(e.Satisfied);
        Assert.Equal("properties.supportsHttpsTrafficOnly is true, as expected (true)", f.Reason);
    }

    [Fact]
    public async Task By_default_a_pass_names_the_secure_state_it_meets()
    {
        var f = await EvaluateAsync("""{"field":"properties.supportsHttpsTrafficOnly","equals":true}""", """{"supportsHttpsTrafficOnly":true}""");

        Assert.Equal(Outcome.Pass, f.Outcome);
        Assert.Empty(f.Evidence);
        Assert.Equal("Compliant: Test rule.", f.Reason);
    }

    [Fact]
    public async Task Long_observed_values_are_trimmed()
    {
        var longValue = new string('a', 500);
        var f = await EvaluateAsync("""{"field":"properties.v","equals":"x"}""", $$"""{"v":"{{longValue}}"}""");

        var e = Assert.Single(f.Evidence);
        Assert.True(e.Observed.Length < 200, e.Observed);
        Assert.Contains("more characters", e.Observed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fail_reason_shows_at_most_three_leaves_and_counts_the_rest()
    {
        var f = await EvaluateAsync(
            """{"field":"properties.rules[*]","equals":"ok"}""",
            """{"rules":["x1","x2","x3","x4","x5"]}""");

        Assert.Equal(5, f.Evidence.Count);
        Assert.EndsWith("(and 2 more)", f.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Findings_carry_rule_metadata_and_a_stable_id()
    {
        var f = await EvaluateAsync("""{"field":"properties.v","equals":1}""", """{"v":1}""");

        Assert.Equal("T-001", f.RuleId);
        Assert.Equal("Test rule", f.RuleTitle);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal(RuleCategory.Firewall, f.Category);
        Assert.Equal("s1", f.SubscriptionId);
        Assert.Equal(FindingId.Compute("T-001", "/subscriptions/s1/resourceGroups/rg/providers/Test/things/thing1"), f.FindingId);
    }

    [Fact]
    public void Finding_ids_are_stable_and_ignore_the_case_of_resource_ids()
    {
        var a = FindingId.Compute("AZ-1", "/subscriptions/S/resourceGroups/RG/providers/X/y/Z");
        var b = FindingId.Compute("AZ-1", "/subscriptions/s/resourcegroups/rg/providers/x/y/z");

        Assert.Equal(a, b);
        Assert.Equal(32, a.Length);
        Assert.NotEqual(a, FindingId.Compute("AZ-2", "/subscriptions/s/resourcegroups/rg/providers/x/y/z"));
    }

    [Fact]
    public async Task A_where_that_excludes_the_resource_gives_no_finding()
    {
        var rules = Compile(Pack("""{"field":"properties.v","equals":1}""", where: """{"field":"properties.kind","equals":"sql"}"""));

        Assert.Empty(await ScanAsync(rules, Snapshot(Thing("""{"kind":"web","v":2}"""))));
        Assert.Single(await ScanAsync(rules, Snapshot(Thing("""{"kind":"SQL","v":2}"""))));
    }

    [Fact]
    public async Task A_where_that_cannot_be_decided_gives_an_error_finding()
    {
        var rules = Compile(Pack("""{"field":"properties.v","equals":1}""", where: """{"field":"properties.kind","less":3}"""));

        var f = Assert.Single(await ScanAsync(rules, Snapshot(Thing("""{"kind":{"x":1}}"""))));
        Assert.Equal(Outcome.Error, f.Outcome);
        Assert.StartsWith("Could not decide whether the rule applies", f.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resource_types_match_case_insensitively()
    {
        var rules = Compile(Pack("""{"field":"properties.v","equals":1}""", resourceType: "Microsoft.Storage/storageAccounts"));
        const string Lower = """{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st","type":"microsoft.storage/storageaccounts","name":"st","properties":{"v":1}}""";

        Assert.Equal(Outcome.Pass, Assert.Single(await ScanAsync(rules, Snapshot(Lower))).Outcome);
    }
}
