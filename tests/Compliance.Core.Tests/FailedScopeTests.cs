using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>What an error scope's resources are called: a fail stands, a pass is not compliant.</summary>
public sealed class FailedScopeTests
{
    private const string Rule = """{ "field": "properties.open", "equals": false }""";

    private static string SnapshotWithScopes(string scopesJson, bool scopesFirst, params string[] resources)
    {
        var scopes = $"\"scopes\":{scopesJson}";
        var body = "\"resources\":[" + string.Join(",", resources) + "]";
        return "{\"schemaVersion\":1,\"tenantId\":\"t1\"," + (scopesFirst ? scopes + "," + body : body + "," + scopes) + "}";
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task In_a_scope_read_only_in_part_a_pass_is_an_error_that_says_so_and_a_fail_stands(bool scopesFirst)
    {
        var rules = Compile(Pack(Rule));
        var snapshot = SnapshotWithScopes(
            """[{"id":"/subscriptions/s1","status":"error","error":"403 on page 2"},{"id":"/subscriptions/s2","status":"ok"}]""",
            scopesFirst,
            Thing("""{"open": false}""", "closed"),
            Thing("""{"open": true}""", "open"),
            Thing("""{"open": false}""", "elsewhere").Replace("/subscriptions/s1/", "/subscriptions/s2/", StringComparison.Ordinal));

        var findings = (await ScanAsync(rules, snapshot)).ToDictionary(f => f.ResourceName);

        var closed = findings["closed"];
        Assert.Equal(Outcome.Error, closed.Outcome);
        Assert.StartsWith("Unconfirmed: passes on what was read, but subscription /subscriptions/s1 could not be read completely (403 on page 2)", closed.Reason, StringComparison.Ordinal);
        Assert.Equal("scopes['/subscriptions/s1'].status", closed.Evidence[^1].Path);
        Assert.Equal(Outcome.Fail, findings["open"].Outcome);
        Assert.Equal(Outcome.Pass, findings["elsewhere"].Outcome);
        Assert.Equal(Outcome.Error, findings["s1"].Outcome);
        Assert.Equal(ScanEngine.CollectionRuleId, findings["s1"].RuleId);
        Assert.Contains("nothing in it is reported as compliant", findings["s1"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_objects_in_a_directory_that_failed_are_not_compliant()
    {
        var rules = Compile(Pack(Rule, resourceType: "microsoft.graph/users"));
        var snapshot = SnapshotWithScopes(
            """[{"id":"/tenants/t1","status":"error","error":"Graph 403"}]""",
            scopesFirst: false,
            """{"id":"u1","type":"microsoft.graph/users","displayName":"Ann","properties":{"open":false}}""");

        var user = Assert.Single(await ScanAsync(rules, snapshot), f => f.ResourceId == "u1");

        Assert.Equal(Outcome.Error, user.Outcome);
        Assert.Contains("the Entra ID directory /tenants/t1 could not be read completely", user.Reason, StringComparison.Ordinal);
    }
}
