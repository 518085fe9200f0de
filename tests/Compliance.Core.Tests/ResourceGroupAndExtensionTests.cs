using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>
/// The resourceGroup related scope, extension resources (diagnostic settings) as children of the
/// resource they extend, the categories of imported rules, and the policy origin of a rule.
/// </summary>
public sealed class ResourceGroupAndExtensionTests
{
    private const string Account = """{"id":"/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.Storage/storageAccounts/st1","type":"Microsoft.Storage/storageAccounts","name":"st1","properties":{}}""";
    private const string AccountSetting = """{"id":"/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.Storage/storageAccounts/st1/providers/Microsoft.Insights/diagnosticSettings/to-law","type":"Microsoft.Insights/diagnosticSettings","name":"to-law","properties":{"workspaceId":"/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.OperationalInsights/workspaces/law"}}""";
    private const string BlobServiceSetting = """{"id":"/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/providers/Microsoft.Insights/diagnosticSettings/blob-law","type":"Microsoft.Insights/diagnosticSettings","name":"blob-law","properties":{"workspaceId":"/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.OperationalInsights/workspaces/law"}}""";

    private static readonly string HasDiagnostics = Pack(
        """{"related":{"type":"Microsoft.Insights/diagnosticSettings","scope":"children","where":{"field":"properties.workspaceId","exists":true}},"greaterOrEquals":1}""",
        resourceType: "Microsoft.Storage/storageAccounts");

    [Fact]
    public async Task A_diagnostic_setting_of_the_resource_is_its_child()
    {
        var finding = Assert.Single(await ScanAsync(Compile(HasDiagnostics), Snapshot(Account, AccountSetting)));

        Assert.Equal(Outcome.Pass, finding.Outcome);
    }

    [Fact]
    public async Task A_diagnostic_setting_of_a_child_of_the_resource_is_not_the_resource_s_own()
    {
        var finding = Assert.Single(await ScanAsync(Compile(HasDiagnostics), Snapshot(Account, BlobServiceSetting)));

        Assert.Equal(Outcome.Fail, finding.Outcome);
    }

    [Fact]
    public async Task ResourceGroup_scope_counts_resources_of_the_same_resource_group_only()
    {
        var rules = Compile(Pack(
            """{"related":{"type":"Microsoft.OperationalInsights/workspaces","scope":"resourceGroup"},"greaterOrEquals":1}""",
            resourceType: "Microsoft.Storage/storageAccounts"));
        const string Other = """{"id":"/subscriptions/s1/resourceGroups/rg-b/providers/Microsoft.Storage/storageAccounts/st2","type":"Microsoft.Storage/storageAccounts","name":"st2","properties":{}}""";
        const string Workspace = """{"id":"/subscriptions/s1/resourceGroups/RG-A/providers/Microsoft.OperationalInsights/workspaces/law","type":"microsoft.operationalinsights/workspaces","name":"law","properties":{}}""";

        var findings = await ScanAsync(rules, Snapshot(Account, Other, Workspace));

        Assert.Equal(Outcome.Pass, findings.Single(f => f.ResourceName == "st1").Outcome);
        Assert.Equal(Outcome.Fail, findings.Single(f => f.ResourceName == "st2").Outcome);
    }

    [Fact]
    public async Task A_resource_group_s_own_resource_group_scope_is_its_content()
    {
        var rules = Compile(Pack(
            """{"related":{"type":"Microsoft.Storage/storageAccounts","scope":"resourceGroup"},"equals":1}""",
            resourceType: "Microsoft.Resources/subscriptions/resourceGroups"));
        const string Group = """{"id":"/subscriptions/s1/resourceGroups/rg-a","type":"microsoft.resources/subscriptions/resourcegroups","name":"rg-a"}""";

        Assert.Equal(Outcome.Pass, Assert.Single(await ScanAsync(rules, Snapshot(Group, Account))).Outcome);
    }

    [Theory]
    [InlineData("monitoring", RuleCategory.Monitoring)]
    [InlineData("resilience", RuleCategory.Resilience)]
    [InlineData("general", RuleCategory.General)]
    public void Imported_policies_have_categories_beyond_the_four(string written, RuleCategory expected)
    {
        var pack = Pack("""{"field":"name","exists":true}""").Replace("\"category\": \"firewall\"", $"\"category\": \"{written}\"", StringComparison.Ordinal);

        var loaded = Load(pack);

        Assert.False(loaded.HasErrors, string.Join(Environment.NewLine, loaded.Diagnostics));
        Assert.Equal(expected, loaded.Packs[0].Rules[0].Category);
        Assert.Equal(written, expected.ToWire());
    }

    [Fact]
    public async Task A_rule_imported_from_Azure_Policy_records_its_definition_and_needs_no_examples()
    {
        var pack = Pack("""{"field":"name","exists":true}""").Replace(
            "\"category\": \"firewall\",",
            "\"category\": \"firewall\", \"policy\": { \"definitionId\": \"/providers/Microsoft.Authorization/policyDefinitions/404c3081-a854-4457-ae30-26a93ef643f9\", \"version\": \"2.0.0\", \"effect\": \"audit\", \"parameters\": { \"x\": 1 } },",
            StringComparison.Ordinal);
        var loaded = Load(pack);
        Assert.False(loaded.HasErrors, string.Join(Environment.NewLine, loaded.Diagnostics));

        var rule = loaded.Packs[0].Rules[0];
        var report = await new Compliance.Core.Testing.RuleTestRunner(TimeProvider.System).RunAsync(loaded.Packs);

        Assert.Equal("/providers/Microsoft.Authorization/policyDefinitions/404c3081-a854-4457-ae30-26a93ef643f9", rule.Policy!.DefinitionId);
        Assert.Equal("2.0.0", rule.Policy.Version);
        Assert.Equal(0, report.Failed);
    }
}
