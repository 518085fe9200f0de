using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Compliance.Policy.Conversion;
using Compliance.Policy.Definitions;
using Compliance.Policy.Import;
using Compliance.Policy.Tests.Support;
using static Compliance.Policy.Tests.Support.PolicyHarness;

namespace Compliance.Policy.Tests;

/// <summary>Azure Policy's semantics in the converted rules: applicability, effects, the existence check, parameters, initiatives.</summary>
public sealed class ConversionSemanticsTests
{
    private const string Account = """{ "id": "/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.Storage/storageAccounts/st1", "name": "st1", "type": "Microsoft.Storage/storageAccounts", "kind": "StorageV2", "location": "westeurope", "properties": { "supportsHttpsTrafficOnly": false, "minimumTlsVersion": "TLS1_0" } }""";
    private const string OtherAccount = """{ "id": "/subscriptions/s1/resourceGroups/rg-b/providers/Microsoft.Storage/storageAccounts/logs2", "name": "logs2", "type": "microsoft.storage/storageaccounts", "kind": "BlobStorage", "location": "northeurope", "properties": { "supportsHttpsTrafficOnly": true } }""";

    private static JsonObject Resource(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static async Task<Dictionary<string, Outcome>> OutcomesAsync(ImportResult result, params string[] resources)
    {
        var findings = await ScanAsync(Load(result), resources.Select(Resource));
        return findings.ToDictionary(f => f.ResourceName, f => f.Outcome);
    }

    [Fact]
    public async Task Audit_fails_exactly_when_the_whole_if_is_true_and_type_conditions_decide_applicability()
    {
        var result = ImportJson(("d.json", Definition("""{ "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "equals": "false" } ] }""")));

        var outcomes = await OutcomesAsync(result, Account, OtherAccount, """{ "id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "name": "kv", "type": "Microsoft.KeyVault/vaults", "properties": {} }""");

        Assert.Equal(Outcome.Fail, outcomes["st1"]);
        Assert.Equal(Outcome.Pass, outcomes["logs2"]);
        Assert.False(outcomes.ContainsKey("kv"));
    }

    [Fact]
    public async Task Name_and_kind_conditions_decide_applicability_when_the_if_has_other_conditions()
    {
        var result = ImportJson(("d.json", Definition("""{ "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "kind", "equals": "BlobStorage" }, { "field": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "equals": "true" } ] }""")));

        var outcomes = await OutcomesAsync(result, Account, OtherAccount);

        Assert.False(outcomes.ContainsKey("st1"), "kind StorageV2 is not applicable");
        Assert.Equal(Outcome.Fail, outcomes["logs2"]);
    }

    [Fact]
    public async Task With_only_type_and_name_conditions_only_the_type_decides_applicability()
    {
        // Learn, policy applicability: "when the if consists only of type and name conditions, only type conditions are considered".
        var result = ImportJson(("d.json", Definition("""{ "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "name", "like": "logs*" } ] }""")));

        var outcomes = await OutcomesAsync(result, Account, OtherAccount);

        Assert.Equal(Outcome.Pass, outcomes["st1"]);
        Assert.Equal(Outcome.Fail, outcomes["logs2"]);
    }

    [Fact]
    public async Task A_negated_condition_that_is_not_type_name_or_kind_counts_as_false_for_applicability()
    {
        var result = ImportJson(("d.json", Definition("""{ "anyOf": [ { "field": "type", "equals": "Microsoft.KeyVault/vaults" }, { "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "not": { "field": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "equals": "true" } } ] } ] }""")));
        var rule = (JsonObject)JsonNode.Parse(result.Pack["rules"]![0]!.ToString())!;

        var outcomes = await OutcomesAsync(result, Account, OtherAccount);

        Assert.Equal(["Microsoft.KeyVault/vaults", "Microsoft.Storage/storageAccounts"], rule["resourceTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(Outcome.Fail, outcomes["st1"]);
        Assert.Equal(Outcome.Pass, outcomes["logs2"]);
    }

    [Fact]
    public async Task An_effect_given_by_a_parameter_takes_its_value_and_Disabled_is_skipped()
    {
        const string Parameters = """{ "effect": { "type": "String", "allowedValues": [ "Audit", "Deny", "Disabled" ], "defaultValue": "Disabled" } }""";
        var definition = Definition("""{ "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "equals": "false" } ] }""", """{ "effect": "[parameters('effect')]" }""", Parameters);

        var byDefault = Single(ImportJson(("d.json", definition)));
        var denied = ImportJson(new Dictionary<string, string> { ["effect"] = "Deny" }, ("d.json", definition));

        Assert.Equal(ConversionStatus.Skipped, byDefault.Status);
        Assert.Equal("effect Disabled", byDefault.Reason);
        Assert.Equal("deny", Single(denied).Effect);
        Assert.Equal(Outcome.Fail, (await OutcomesAsync(denied, Account))["st1"]);
    }

    [Theory]
    [InlineData("Modify", "effect Modify")]
    [InlineData("Append", "effect Append")]
    [InlineData("Manual", "Microsoft-managed placeholder")]
    [InlineData("DenyAction", "effect DenyAction")]
    public void Effects_that_do_not_audit_are_skipped_with_the_reason(string effect, string reason)
    {
        var result = Single(ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.Storage/storageAccounts" }""", $$"""{ "effect": "{{effect}}" }"""))));

        Assert.Equal(ConversionStatus.Skipped, result.Status);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Data_plane_modes_are_skipped()
    {
        var result = Single(ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.KeyVault.Data/vaults/certificates" }""", mode: "Microsoft.KeyVault.Data"))));

        Assert.Equal(ConversionStatus.Skipped, result.Status);
        Assert.Equal("data-plane mode Microsoft.KeyVault.Data", result.Reason);
    }

    [Fact]
    public void A_DeployIfNotExists_default_that_allows_AuditIfNotExists_is_imported_as_its_existence_check_and_says_so()
    {
        const string Parameters = """{ "effect": { "type": "String", "allowedValues": [ "DeployIfNotExists", "AuditIfNotExists", "Disabled" ], "defaultValue": "DeployIfNotExists" } }""";
        var then = """{ "effect": "[parameters('effect')]", "details": { "type": "Microsoft.Insights/diagnosticSettings", "existenceCondition": { "field": "Microsoft.Insights/diagnosticSettings/workspaceId", "exists": "true" }, "deployment": {} } }""";

        var result = ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.KeyVault/vaults" }""", then, Parameters)));
        var conversion = Single(result);
        var rule = result.Pack["rules"]![0]!;

        Assert.Equal("auditIfNotExists", conversion.Effect);
        Assert.True(conversion.FromDeployIfNotExists);
        Assert.Contains("imported as AuditIfNotExists", (string)rule["policy"]!["effectNote"]!, StringComparison.Ordinal);
        Assert.Contains("imported as AuditIfNotExists", (string)rule["notes"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void DeployIfNotExists_without_AuditIfNotExists_is_skipped()
    {
        var then = """{ "effect": "DeployIfNotExists", "details": { "type": "Microsoft.Insights/diagnosticSettings", "deployment": {} } }""";

        var result = Single(ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.KeyVault/vaults" }""", then))));

        Assert.Equal("effect DeployIfNotExists only", result.Reason);
    }

    private const string Vault = """{ "id": "/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.KeyVault/vaults/kv1", "name": "kv1", "type": "Microsoft.KeyVault/vaults", "location": "westeurope", "properties": { "sku": { "name": "standard" } } }""";

    private static string Setting(string parent, string name, string workspace) =>
        $$"""{ "id": "{{parent}}/providers/Microsoft.Insights/diagnosticSettings/{{name}}", "name": "{{name}}", "type": "Microsoft.Insights/diagnosticSettings", "properties": { "workspaceId": "{{workspace}}", "logs": [ { "categoryGroup": "allLogs", "enabled": true } ] } }""";

    [Fact]
    public async Task AuditIfNotExists_passes_when_a_related_resource_matches_the_existence_condition_and_field_reads_the_evaluated_resource()
    {
        // [field('location')] inside existenceCondition reads the vault; field reads the diagnostic setting.
        var then = """{ "effect": "AuditIfNotExists", "details": { "type": "Microsoft.Insights/diagnosticSettings", "existenceCondition": { "allOf": [ { "field": "Microsoft.Insights/diagnosticSettings/workspaceId", "equals": "[concat('/workspaces/', field('location'))]" } ] } } }""";
        var result = ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.KeyVault/vaults" }""", then)));
        const string Id = "/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.KeyVault/vaults/kv1";

        var matching = await OutcomesAsync(result, Vault, Setting(Id, "s1", "/workspaces/westeurope"));
        var wrongWorkspace = await OutcomesAsync(result, Vault, Setting(Id, "s1", "/workspaces/eastus"));
        var none = await OutcomesAsync(result, Vault);

        Assert.Equal(Outcome.Pass, matching["kv1"]);
        Assert.Equal(Outcome.Fail, wrongWorkspace["kv1"]);
        Assert.Equal(Outcome.Fail, none["kv1"]);
        Assert.Contains("\"[concat('/workspaces/', resource('location'))]\"", result.Pack.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Details_name_matches_the_last_segment_of_the_related_id()
    {
        var then = """{ "effect": "AuditIfNotExists", "details": { "type": "Microsoft.Insights/diagnosticSettings", "name": "[concat('prefix/', 'setByPolicy')]" } }""";
        var result = ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.KeyVault/vaults" }""", then)));
        const string Id = "/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.KeyVault/vaults/kv1";

        Assert.Equal(Outcome.Pass, (await OutcomesAsync(result, Vault, Setting(Id, "setByPolicy", "w")))["kv1"]);
        Assert.Equal(Outcome.Fail, (await OutcomesAsync(result, Vault, Setting(Id, "other", "w")))["kv1"]);
    }

    [Fact]
    public async Task A_related_type_that_is_not_a_child_is_looked_for_in_the_resource_group_by_default_and_in_the_subscription_when_asked()
    {
        const string Workspace = """{ "id": "/subscriptions/s1/resourceGroups/rg-b/providers/Microsoft.OperationalInsights/workspaces/law", "name": "law", "type": "Microsoft.OperationalInsights/workspaces", "properties": {} }""";
        var inGroup = ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.KeyVault/vaults" }""", """{ "effect": "AuditIfNotExists", "details": { "type": "Microsoft.OperationalInsights/workspaces" } }""")));
        var inSubscription = ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.KeyVault/vaults" }""", """{ "effect": "AuditIfNotExists", "details": { "type": "Microsoft.OperationalInsights/workspaces", "existenceScope": "Subscription" } }""")));
        var namedGroup = ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.KeyVault/vaults" }""", """{ "effect": "AuditIfNotExists", "details": { "type": "Microsoft.OperationalInsights/workspaces", "resourceGroupName": "rg-b" } }""")));

        Assert.Equal(Outcome.Fail, (await OutcomesAsync(inGroup, Vault, Workspace))["kv1"]);
        Assert.Equal(Outcome.Pass, (await OutcomesAsync(inSubscription, Vault, Workspace))["kv1"]);
        Assert.Equal(Outcome.Pass, (await OutcomesAsync(namedGroup, Vault, Workspace))["kv1"]);
        Assert.Contains("\"scope\": \"resourceGroup\"", inGroup.Pack.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_whose_path_depends_on_the_type_is_read_for_each_type()
    {
        // Microsoft.Compute/licenseType: properties.licenseType on virtual machines,
        // properties.virtualMachineProfile.licenseType on scale sets (the bundled alias catalog).
        var result = ImportJson(("d.json", Definition("""{ "allOf": [ { "field": "type", "in": [ "Microsoft.Compute/virtualMachines", "Microsoft.Compute/virtualMachineScaleSets" ] }, { "field": "Microsoft.Compute/licenseType", "equals": "Windows_Server" } ] }""")));
        var text = result.Pack.ToString();

        Assert.Contains("\"properties.licenseType\"", text, StringComparison.Ordinal);
        Assert.Contains("\"properties.virtualMachineProfile.licenseType\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Array_aliases_read_each_element_and_template_functions_fold_over_parameters()
    {
        const string Nsg = """{ "id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg1", "name": "nsg1", "type": "Microsoft.Network/networkSecurityGroups", "properties": { "securityRules": [ { "name": "rdp", "properties": { "access": "Allow", "direction": "Inbound", "destinationPortRange": "3389", "sourceAddressPrefix": "*" } } ] } }""";
        var definition = Definition(
            """{ "allOf": [ { "field": "type", "equals": "Microsoft.Network/networkSecurityGroups" }, { "count": { "field": "Microsoft.Network/networkSecurityGroups/securityRules[*]", "where": { "allOf": [ { "field": "Microsoft.Network/networkSecurityGroups/securityRules[*].access", "equals": "[if(equals(parameters('mode'), 'strict'), 'Allow', 'Never')]" }, { "field": "Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRange", "equals": "[string(parameters('port'))]" } ] } }, "greater": 0 } ] }""",
            parameters: """{ "mode": { "type": "String", "defaultValue": "strict" }, "port": { "type": "Integer", "defaultValue": 3389 } }""");

        var result = ImportJson(("d.json", definition));

        Assert.Equal(Outcome.Fail, (await OutcomesAsync(result, Nsg))["nsg1"]);
        Assert.Contains("\"properties.securityRules[*].properties.access\"", result.Pack.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("parameters(", result.Pack["rules"]![0]!["condition"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_initiative_imports_its_members_with_the_values_it_gives_and_the_controls_of_their_groups()
    {
        const string Initiative = """
            { "properties": { "displayName": "My baseline", "version": "2.1.0", "parameters": { "tls": { "type": "String", "defaultValue": "TLS1_2" } },
              "policyDefinitions": [ { "policyDefinitionId": "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/policyDefinitions/test-definition",
                                       "policyDefinitionReferenceId": "tls", "parameters": { "minimum": { "value": "[parameters('tls')]" } },
                                       "groupNames": [ "NIST_SP_800-53_R5_SC-8", "NIST_SP_800-53_R5_SC-8(1)", "Custom_Group" ] } ] },
              "name": "baseline-1" }
            """;
        var definition = Definition("""{ "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "Microsoft.Storage/storageAccounts/minimumTlsVersion", "notEquals": "[parameters('minimum')]" } ] }""", parameters: """{ "minimum": { "type": "String" } }""");

        var result = ImportJson(("definition.json", definition), ("initiative.json", Initiative));
        var rule = result.Pack["rules"]![0]!;

        Assert.Equal("baseline-1", (string)result.Pack["id"]!);
        Assert.Equal("2.1.0", (string)result.Pack["version"]!);
        Assert.Equal(["SC-8", "SC-8(1)"], rule["controls"]!["NIST-800-53-r5"]!.Select(c => (string)c!));
        Assert.Equal(["Custom_Group"], rule["controls"]!["policy-set:baseline-1"]!.Select(c => (string)c!));
        Assert.Equal("TLS1_2", (string)rule["policy"]!["parameters"]!["minimum"]!);
    }

    [Fact]
    public void A_member_missing_from_the_inputs_is_reported_with_the_initiative_s_line()
    {
        const string Initiative = """
            { "properties": { "displayName": "Set",
              "policyDefinitions": [ { "policyDefinitionId": "/providers/Microsoft.Authorization/policyDefinitions/not-there" } ] },
              "name": "set" }
            """;

        var result = Single(ImportJson(("initiative.json", Initiative)));

        Assert.Equal(ConversionStatus.Unsupported, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("initiative.json", problem.Location.File);
        Assert.Equal(2, problem.Location.Line);
        Assert.Contains("not-there", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_ids_are_derived_from_the_definition_name_and_stable()
    {
        Assert.Equal("AZP-404C3081-A854-4457-AE30-26A93EF643F9", PolicyImporter.RuleId("404c3081-a854-4457-ae30-26a93ef643f9"));
        Assert.Equal("AZP-DENY-PUBLIC-IP", PolicyImporter.RuleId("Deny_Public ip"));
    }

    [Fact]
    public void Rules_carry_the_definition_id_version_category_and_severity()
    {
        var result = ImportFiles([BuiltIn("Storage_AuditForHTTPSEnabled_Audit.json")]);
        var rule = result.Pack["rules"]![0]!;

        Assert.Equal("AZP-404C3081-A854-4457-AE30-26A93EF643F9", (string)rule["id"]!);
        Assert.Equal("Secure transfer to storage accounts should be enabled", (string)rule["title"]!);
        Assert.Equal("/providers/Microsoft.Authorization/policyDefinitions/404c3081-a854-4457-ae30-26a93ef643f9", (string)rule["policy"]!["definitionId"]!);
        Assert.Equal("2.0.0", (string)rule["policy"]!["version"]!);
        Assert.Equal("encryption", (string)rule["category"]!);
        Assert.Equal("high", (string)rule["severity"]!);
    }

    [Fact]
    public void Two_copies_of_one_definition_id_keep_the_one_nearer_the_folder_given()
    {
        using var folder = new TempFolder();
        var text = File.ReadAllText(BuiltIn("Storage_AuditForHTTPSEnabled_Audit.json"));
        folder.Write("Storage/a.json", text);
        folder.Write("Azure Government/Storage/a.json", text);

        var set = DefinitionReader.Read([folder.Path]);

        Assert.Single(set.Definitions);
        Assert.EndsWith(Path.Combine("Storage", "a.json"), set.Definitions[0].File, StringComparison.Ordinal);
        Assert.DoesNotContain("Azure Government", set.Definitions[0].File, StringComparison.Ordinal);
        Assert.Contains(set.Notes, n => n.Message.Contains("already read", StringComparison.Ordinal));
    }

    [Fact]
    public void The_built_in_repository_layout_with_azurepolicy_rules_and_parameters_files_is_read()
    {
        using var folder = new TempFolder();
        folder.Write("deny-http/azurepolicy.rules.json", """{ "if": { "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "equals": "[parameters('value')]" } ] }, "then": { "effect": "deny" } }""");
        folder.Write("deny-http/azurepolicy.parameters.json", """{ "value": { "type": "Boolean", "defaultValue": false } }""");

        var result = ImportFiles([folder.Path]);

        Assert.Equal("AZP-DENY-HTTP", (string)result.Pack["rules"]![0]!["id"]!);
        Assert.Equal(ConversionStatus.Converted, Single(result).Status);
    }
}
