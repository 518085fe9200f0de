using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>
/// A related count under a scope that could not be read is a lower bound: it decides when the unread
/// resources could not change the verdict, and is an error otherwise. A verdict that stands as a pass
/// on a resource of the unread scope itself is still not called compliant: it is an error that says it
/// passes on what was read (README, "What error means").
/// </summary>
public sealed class IncompleteScopeTests
{
    private const string Server = """{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1","type":"Microsoft.Sql/servers","name":"sql1","properties":{}}""";

    private static string Rule(string name, string end) =>
        $$$"""{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1/firewallRules/{{{name}}}","type":"Microsoft.Sql/servers/firewallRules","name":"{{{name}}}","properties":{"startIpAddress":"10.0.0.0","endIpAddress":"{{{end}}}"}}""";

    private static string FailedSubscription(params string[] resources) =>
        """{"schemaVersion":1,"scopes":[{"id":"/subscriptions/s1","displayName":"Prod","status":"error","error":"403 AuthorizationFailed on firewallRules"}],"resources":[""" +
        string.Join(",", resources) + "]}";

    private static async Task<Finding> EvaluateAsync(string comparison, params string[] resources)
    {
        var rules = Compile(Pack(
            $$$"""{"related":{"type":"Microsoft.Sql/servers/firewallRules","scope":"children","where":{"field":"properties.endIpAddress","equals":"255.255.255.255"}},{{{comparison}}}}""",
            resourceType: "Microsoft.Sql/servers"));
        var findings = await ScanAsync(rules, FailedSubscription([Server, .. resources]));
        return findings.Single(f => f.RuleId == "T-001");
    }

    [Fact]
    public async Task At_least_one_already_met_by_what_was_read_is_unconfirmed_in_the_unread_scope()
    {
        var finding = await EvaluateAsync("\"greaterOrEquals\":1", Rule("all", "255.255.255.255"));

        AssertUnconfirmedPass(finding);
    }

    private static void AssertUnconfirmedPass(Finding finding)
    {
        Assert.Equal(Outcome.Error, finding.Outcome);
        Assert.StartsWith("Unconfirmed: passes on what was read, but subscription 'Prod' (/subscriptions/s1) could not be read completely", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task None_already_broken_by_what_was_read_fails_and_says_the_count_is_a_lower_bound()
    {
        var finding = await EvaluateAsync("\"equals\":0", Rule("all", "255.255.255.255"));

        Assert.Equal(Outcome.Fail, finding.Outcome);
        Assert.Contains("at least: Subscription 'Prod' (/subscriptions/s1) could not be read completely", finding.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"equals\":0", 0)] // none read, but the unread scope may hold one
    [InlineData("\"greaterOrEquals\":1", 0)] // none read, the unread scope may hold the one required
    [InlineData("\"lessOrEquals\":2", 1)] // one read, more may be missing
    [InlineData("\"in\":[1,2]", 1)]
    [InlineData("\"notEquals\":3", 1)]
    public async Task A_verdict_the_unread_resources_could_change_is_an_error(string comparison, int read)
    {
        var finding = await EvaluateAsync(comparison, [.. Enumerable.Range(0, read).Select(i => Rule($"r{i}", "255.255.255.255"))]);

        Assert.Equal(Outcome.Error, finding.Outcome);
        Assert.Contains("could not be read completely (403 AuthorizationFailed on firewallRules)", finding.Reason, StringComparison.Ordinal);
        Assert.Contains("not reported as compliant", finding.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"lessOrEquals\":1", Outcome.Fail)] // two read: more can only keep it above 1
    [InlineData("\"greater\":1", Outcome.Pass)]
    [InlineData("\"less\":2", Outcome.Fail)]
    [InlineData("\"notIn\":[0,1]", Outcome.Pass)]
    [InlineData("\"in\":[0,1]", Outcome.Fail)]
    public async Task A_verdict_the_unread_resources_cannot_change_stands(string comparison, Outcome outcome)
    {
        var finding = await EvaluateAsync(comparison, Rule("a", "255.255.255.255"), Rule("b", "255.255.255.255"));

        if (outcome == Outcome.Pass)
        {
            // The count stands, but the server lies in the unread subscription: not called compliant.
            AssertUnconfirmedPass(finding);
        }
        else
        {
            Assert.Equal(outcome, finding.Outcome);
        }
    }

    [Fact]
    public async Task A_rule_decided_by_another_leaf_is_not_a_count_error()
    {
        var rules = Compile(Pack(
            """{"anyOf":[{"field":"properties.publicNetworkAccess","equals":"Disabled"},{"related":{"type":"Microsoft.Sql/servers/firewallRules","scope":"children"},"equals":0}]}""",
            resourceType: "Microsoft.Sql/servers"));
        var closed = Server.Replace("\"properties\":{}", "\"properties\":{\"publicNetworkAccess\":\"Disabled\"}", StringComparison.Ordinal);

        var findings = await ScanAsync(rules, FailedSubscription(closed));

        var finding = findings.Single(f => f.RuleId == "T-001");
        AssertUnconfirmedPass(finding);
        Assert.DoesNotContain("related resources", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_wide_count_met_despite_an_unread_directory_passes_and_one_short_of_it_is_an_error()
    {
        var rules = Compile(Pack(
            """{"related":{"type":"microsoft.graph/conditionalAccessPolicies","scope":"tenant","where":{"field":"state","equals":"enabled"}},"greaterOrEquals":1}""",
            resourceType: "Microsoft.Resources/subscriptions"));
        const string Header = """{"schemaVersion":1,"scopes":[{"id":"/subscriptions/s1","status":"ok"},{"id":"/tenants/t1","status":"error","error":"Graph 403"}],"resources":[{"id":"/subscriptions/s1","type":"microsoft.resources/subscriptions","name":"Prod"}""";

        var met = await ScanAsync(rules, Header + """,{"id":"p1","type":"microsoft.graph/conditionalAccessPolicies","state":"enabled"}]}""");
        var unmet = await ScanAsync(rules, Header + """,{"id":"p1","type":"microsoft.graph/conditionalAccessPolicies","state":"disabled"}]}""");

        Assert.Equal(Outcome.Pass, met.Single(f => f.RuleId == "T-001").Outcome);
        Assert.Equal(Outcome.Error, unmet.Single(f => f.RuleId == "T-001").Outcome);
    }

    [Fact]
    public async Task A_scope_that_was_read_leaves_the_count_exact()
    {
        var rules = Compile(Pack(
            """{"related":{"type":"Microsoft.Sql/servers/firewallRules","scope":"children"},"equals":0}""",
            resourceType: "Microsoft.Sql/servers"));
        var snapshot = """{"schemaVersion":1,"scopes":[{"id":"/subscriptions/s1","status":"ok"},{"id":"/subscriptions/s2","status":"error","error":"403"}],"resources":[""" + Server + "]}";

        Assert.Equal(Outcome.Pass, (await ScanAsync(rules, snapshot)).Single(f => f.RuleId == "T-001").Outcome);
    }
}
