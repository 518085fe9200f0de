using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>related counts: children, subscription and tenant scopes, joins, and incomplete scopes.</summary>
public sealed class RelatedTests
{
    private const string Server = """{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1","type":"Microsoft.Sql/servers","name":"sql1","properties":{}}""";
    private const string OpenRule = """{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1/firewallRules/all","type":"Microsoft.Sql/servers/firewallRules","name":"all","properties":{"startIpAddress":"0.0.0.0","endIpAddress":"255.255.255.255"}}""";
    private const string OtherServersRule = """{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/sql10/firewallRules/all","type":"microsoft.sql/servers/firewallrules","name":"all","properties":{"startIpAddress":"0.0.0.0","endIpAddress":"255.255.255.255"}}""";

    private static readonly string NoOpenRule = Pack(
        """{"related":{"type":"Microsoft.Sql/servers/firewallRules","scope":"children","where":{"field":"properties.endIpAddress","equals":"255.255.255.255"}},"equals":0}""",
        resourceType: "Microsoft.Sql/servers");

    [Fact]
    public async Task Children_are_resources_below_the_resource_id_whatever_the_case_of_their_type()
    {
        var rules = Compile(NoOpenRule);

        Assert.Equal(Outcome.Fail, Assert.Single(await ScanAsync(rules, Snapshot(Server, OpenRule))).Outcome);
        Assert.Equal(Outcome.Pass, Assert.Single(await ScanAsync(rules, Snapshot(Server, OtherServersRule))).Outcome);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Children_may_come_before_their_parent_in_the_snapshot(bool seekable)
    {
        var finding = Assert.Single(await ScanAsync(Compile(NoOpenRule), Snapshot(OpenRule, Server), seekable: seekable));

        Assert.Equal(Outcome.Fail, finding.Outcome);
        Assert.Contains("Matching: firewallRules/all", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_scope_counts_resources_of_the_same_subscription()
    {
        var rules = Compile(Pack(
            """{"related":{"type":"Test/monitors","scope":"subscription"},"greaterOrEquals":1}""",
            resourceType: "Microsoft.Resources/subscriptions"));
        const string Sub1 = """{"id":"/subscriptions/s1","type":"microsoft.resources/subscriptions","name":"One"}""";
        const string Sub2 = """{"id":"/subscriptions/S2","type":"microsoft.resources/subscriptions","name":"Two"}""";
        const string Monitor = """{"id":"/subscriptions/s2/resourceGroups/rg/providers/Test/monitors/m","type":"Test/monitors"}""";

        var findings = await ScanAsync(rules, Snapshot(Sub1, Sub2, Monitor));

        Assert.Equal(Outcome.Fail, findings.Single(f => f.ResourceName == "One").Outcome);
        Assert.Equal(Outcome.Pass, findings.Single(f => f.ResourceName == "Two").Outcome);
    }

    [Fact]
    public async Task Tenant_scope_counts_every_resource_of_the_type()
    {
        var rules = Compile(Pack(
            """{"related":{"type":"microsoft.graph/conditionalAccessPolicies","scope":"tenant","where":{"allOf":[{"field":"state","equals":"enabled"},{"field":"grantControls.builtInControls","contains":"mfa"}]}},"greaterOrEquals":1}""",
            resourceType: "microsoft.graph/organization"));
        const string Org = """{"id":"t1","type":"microsoft.graph/organization","displayName":"Org"}""";
        const string ReportOnly = """{"id":"p1","type":"microsoft.graph/conditionalAccessPolicies","displayName":"MFA (report only)","state":"enabledForReportingButNotEnforced","grantControls":{"builtInControls":["mfa"]}}""";
        const string Enabled = """{"id":"p2","type":"microsoft.graph/conditionalAccessPolicies","displayName":"MFA","state":"enabled","grantControls":{"builtInControls":["mfa"]}}""";

        Assert.Equal(Outcome.Fail, Assert.Single(await ScanAsync(rules, Snapshot(Org, ReportOnly))).Outcome);
        var pass = Assert.Single(await ScanAsync(rules, Snapshot(ReportOnly, Org, Enabled), passEvidence: true));
        Assert.Equal(Outcome.Pass, pass.Outcome);
        Assert.Contains("'MFA'", pass.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_join_on_the_evaluated_resource_finds_the_matching_candidate(bool seekable)
    {
        // A role assignment fails when its principal is a guest user.
        var rules = Compile(Pack(
            """{"related":{"type":"microsoft.graph/users","scope":"tenant","where":{"allOf":[{"field":"id","equals":"[resource('properties.principalId')]"},{"field":"userType","equals":"Guest"}]}},"equals":0}""",
            resourceType: "Microsoft.Authorization/roleAssignments"));
        const string ToGuest = """{"id":"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1","type":"microsoft.authorization/roleassignments","name":"a1","properties":{"principalId":"G1"}}""";
        const string ToMember = """{"id":"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a2","type":"microsoft.authorization/roleassignments","name":"a2","properties":{"principalId":"m1"}}""";
        const string Guest = """{"id":"g1","type":"microsoft.graph/users","userPrincipalName":"guest#EXT#@x.example","userType":"Guest"}""";
        const string Member = """{"id":"m1","type":"microsoft.graph/users","userPrincipalName":"m@x.example","userType":"Member"}""";

        var findings = await ScanAsync(rules, Snapshot(ToGuest, ToMember, Guest, Member), seekable: seekable);

        Assert.Equal(Outcome.Fail, findings.Single(f => f.ResourceName == "a1").Outcome);
        Assert.Equal(Outcome.Pass, findings.Single(f => f.ResourceName == "a2").Outcome);
    }

    [Fact]
    public async Task A_related_rule_on_a_resource_of_a_failed_scope_is_an_error_not_a_pass()
    {
        var snapshot = """
            {"schemaVersion":1,"scopes":[{"id":"/subscriptions/s1","displayName":"Prod","status":"error","error":"403 AuthorizationFailed"}],
             "resources":[
            """ + Server + "]}";

        var findings = await ScanAsync(Compile(NoOpenRule), snapshot);

        var server = findings.Single(f => f.RuleId == "T-001");
        Assert.Equal(Outcome.Error, server.Outcome);
        Assert.Contains("could not be read completely (403 AuthorizationFailed)", server.Reason, StringComparison.Ordinal);
        var scope = findings.Single(f => f.RuleId == ScanEngine.CollectionRuleId);
        Assert.Equal("/subscriptions/s1", scope.ResourceId);
        Assert.Equal(Outcome.Error, scope.Outcome);
    }

    [Fact]
    public async Task A_tenant_wide_count_is_incomplete_when_the_directory_could_not_be_read()
    {
        var rules = Compile(Pack(
            """{"related":{"type":"microsoft.graph/conditionalAccessPolicies","scope":"tenant"},"greaterOrEquals":1}""",
            resourceType: "Microsoft.Resources/subscriptions"));
        const string Snapshot = """
            {"schemaVersion":1,"scopes":[{"id":"/subscriptions/s1","status":"ok"},{"id":"/tenants/t1","status":"error","error":"Graph 403: grant Policy.Read.All"}],
             "resources":[{"id":"/subscriptions/s1","type":"microsoft.resources/subscriptions","name":"Prod"}]}
            """;

        var findings = await ScanAsync(rules, Snapshot);

        Assert.Equal(Outcome.Error, findings.Single(f => f.RuleId == "T-001").Outcome);
        var scope = findings.Single(f => f.RuleId == ScanEngine.CollectionRuleId);
        Assert.Equal("microsoft.graph/organization", scope.ResourceType);
        Assert.Contains("Policy.Read.All", scope.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_scope_carries_the_controls_of_the_rules_it_hides()
    {
        var pack = Pack("""{"field":"properties.v","equals":1}""").Replace(
            "\"condition\":", """ "controls": { "NIST-800-53-r5": ["SC-7"] }, "condition":""", StringComparison.Ordinal);
        var findings = await ScanAsync(Compile(pack), """{"schemaVersion":1,"scopes":[{"id":"/subscriptions/zz","status":"error","error":"timeout"}],"resources":[]}""");

        var scope = Assert.Single(findings);
        Assert.Equal(["SC-7"], scope.Controls["NIST-800-53-r5"]);
        Assert.Equal(Severity.High, scope.Severity);
        Assert.Equal(RuleCategory.Collection, scope.Category);
    }

    [Fact]
    public async Task A_scope_that_was_read_gives_no_error_finding()
    {
        var findings = await ScanAsync(Compile(NoOpenRule), """{"schemaVersion":1,"scopes":[{"id":"/subscriptions/s1","status":"ok"}],"resources":[]}""");

        Assert.Empty(findings);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_waiting_rule_still_reads_every_path_it_needs_from_its_resource(bool seekable)
    {
        // The server waits for its children; its where and condition also read its own properties,
        // which must survive however the engine keeps the resource meanwhile.
        var rules = Compile(Pack(
            """{"allOf":[{"field":"properties.tier","equals":"gold"},{"field":"tags['env']","equals":"prod"},{"related":{"type":"Microsoft.Sql/servers/firewallRules","scope":"children","where":{"field":"properties.endIpAddress","equals":"[resource('properties.allowedEnd')]"}},"greaterOrEquals":1}]}""",
            resourceType: "Microsoft.Sql/servers",
            where: """{"field":"properties.kind","notEquals":"test"}"""));
        const string Gold = """{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1","type":"Microsoft.Sql/servers","name":"sql1","tags":{"ENV":"prod"},"properties":{"tier":"GOLD","kind":"live","allowedEnd":"255.255.255.255","unused":{"big":[1,2,3]}}}""";

        var finding = Assert.Single(await ScanAsync(rules, Snapshot(Gold, OpenRule), seekable: seekable));

        Assert.Equal(Outcome.Pass, finding.Outcome);
        Assert.Equal("sql1", finding.ResourceName);
        Assert.Equal("s1", finding.SubscriptionId);
    }
}
