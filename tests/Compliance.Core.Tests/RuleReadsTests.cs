using Compliance.Core.Evaluation;
using Compliance.Core.Rules;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>What a compiled rule reads: the paths on its own resource and on each related type.</summary>
public sealed class RuleReadsTests
{
    [Fact]
    public void Paths_of_where_condition_counts_and_expressions_are_read_on_the_rule_s_own_resource()
    {
        var rules = Compile(Pack(
            """
            {"allOf":[
              {"field":"properties.minimumTlsVersion","equals":"TLS1_2"},
              {"count":{"field":"properties.rules[*]","where":{"field":"properties.rules[*].access","equals":"[field('properties.defaultAccess')]"}},"equals":0},
              {"value":"[addDays(field('properties.created'), 30)]","less":"2027-01-01T00:00:00Z"},
              {"field":"Properties.MinimumTlsVersion","exists":true}]}
            """,
            where: """{"field":"kind","equals":"StorageV2"}"""));

        var reads = Assert.Single(rules.Rules).Reads;

        Assert.Equal(
            ["kind", "properties.minimumTlsVersion", "properties.rules[*]", "properties.rules[*].access", "properties.defaultAccess", "properties.created"],
            reads.OwnPaths);
        Assert.Empty(reads.RelatedPaths);
        Assert.False(reads.UsesRelated);
    }

    [Fact]
    public void Related_where_paths_belong_to_the_related_type_and_resource_paths_to_the_own_resource()
    {
        var rules = Compile(Pack(
            """
            {"related":{"type":"microsoft.graph/users","scope":"tenant",
                        "where":{"allOf":[{"field":"id","equals":"[resource('properties.principalId')]"},{"field":"userType","equals":"Guest"}]}},
             "equals":0}
            """,
            resourceType: "Microsoft.Authorization/roleAssignments",
            where: """{"field":"properties.roleDefinitionId","like":"*/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}"""));

        var reads = Assert.Single(rules.Rules).Reads;

        Assert.Equal(["properties.roleDefinitionId", "properties.principalId"], reads.OwnPaths);
        Assert.Equal(["id", "userType"], reads.RelatedPaths["microsoft.graph/users"]);
        Assert.Equal(("microsoft.graph/users", RelatedScope.Tenant), Assert.Single(reads.RelatedUses));
        Assert.True(reads.UsesRelated);
    }

    [Fact]
    public void A_related_count_without_where_names_its_type_with_no_paths()
    {
        var rules = Compile(Pack("""{"related":{"type":"Microsoft.Sql/servers/firewallRules","scope":"children"},"equals":0}""", resourceType: "Microsoft.Sql/servers"));

        var reads = Assert.Single(rules.Rules).Reads;

        Assert.Empty(reads.OwnPaths);
        Assert.Empty(reads.RelatedPaths["Microsoft.Sql/servers/firewallRules"]);
    }

    [Fact]
    public void Time_operators_are_noticed()
    {
        Assert.True(Assert.Single(Compile(Pack("""{"field":"properties.expiry","olderThan":"P1D"}""")).Rules).Reads.UsesTime);
        Assert.False(Assert.Single(Compile(Pack("""{"field":"properties.expiry","exists":true}""")).Rules).Reads.UsesTime);
    }

    [Fact]
    public void Every_bundled_rule_lists_what_it_reads()
    {
        var packs = RulePackLoader.Load(RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow();
        var rules = CompiledRuleSet.Compile(packs).Rules.ToDictionary(r => r.Rule.Id);

        Assert.All(rules.Values, r => Assert.NotEmpty(r.Reads.OwnPaths.Concat(r.Reads.RelatedPaths.Values.SelectMany(p => p))));
        Assert.Contains("properties.securityRules[*].properties.destinationPortRange", rules["AZ-FW-001"].Reads.OwnPaths);
        Assert.Contains(rules.Values, r => r.Reads.RelatedPaths.Count > 0);
    }
}
