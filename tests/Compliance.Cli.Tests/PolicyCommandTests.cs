using System.IO.Compression;
using System.Text.Json.Nodes;
using Azure.Core;
using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Tests;

/// <summary>
/// <c>compliance policy import</c> and <c>compliance policy aliases refresh</c>: files and folders,
/// parameter values, exit codes, bad input; and the live import against a loopback ARM that answers
/// with the shapes of the Azure REST API specification examples.
/// </summary>
public sealed class PolicyCommandTests : IAsyncLifetime
{
    private const string Subscription = "ae640e6b-ba3e-4256-9d62-2993eecfa6f2";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "compliance-policy-cli-" + Guid.NewGuid().ToString("N"));
    private FakeAzure _fake = null!;

    private static string BuiltIn(string file) => RepoPaths.File("tests", "Compliance.Policy.Tests", "TestData", "BuiltIns", file);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _fake = await FakeAzure.StartAsync(new FakeTenant { TenantId = "4bee2b8a-1bee-47c2-90e9-404241551135" }.AddSubscription(Subscription, "Test"));
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_folder_of_definitions_becomes_a_pack_that_validate_test_and_scan_accept()
    {
        var pack = Path.Combine(_dir, "policy.json");

        var (code, output, _) = await CliRunner.RunAsync("policy", "import", Path.GetDirectoryName(BuiltIn("SOURCES.json"))!, "--out", pack);
        var validate = await CliRunner.RunAsync("rules", "validate", pack);
        var test = await CliRunner.RunAsync("rules", "test", pack);
        var scan = await CliRunner.RunAsync("scan", "--rules", pack, "--store", Path.Combine(_dir, "s.db"), "--format", "json");

        Assert.Equal(0, code);
        Assert.Contains($"Imported 39 of 39 definition(s) into {pack} (pack azure-policy 1.0.0):", output, StringComparison.Ordinal);
        Assert.Equal(0, validate.ExitCode);
        Assert.Equal(0, test.ExitCode);
        Assert.Equal(0, scan.ExitCode);
        var findings = JsonNode.Parse(scan.Out)!.AsArray();
        Assert.Contains(findings, f => (string)f!["ruleId"]! == "AZP-404C3081-A854-4457-AE30-26A93EF643F9" && (string)f["outcome"]! == "fail");
    }

    [Fact]
    public async Task A_definition_that_cannot_be_converted_gives_exit_code_1_unless_partial_is_allowed_and_is_named_with_its_location()
    {
        var custom = Write("naming.json", """
            { "properties": { "displayName": "Naming convention", "mode": "All",
              "policyRule": { "if": { "not": { "field": "name", "like": "[concat(parameters('prefix'), '*')]" } }, "then": { "effect": "deny" } },
              "parameters": { "prefix": { "type": "String", "defaultValue": "nw-" } } },
              "id": "/providers/Microsoft.Management/managementgroups/MyManagementGroup/providers/Microsoft.Authorization/policyDefinitions/ResourceNaming", "name": "ResourceNaming" }
            """);
        var pack = Path.Combine(_dir, "p.json");

        var strict = await CliRunner.RunAsync("policy", "import", custom, BuiltIn("Storage_AuditForHTTPSEnabled_Audit.json"), "--out", pack);
        var partial = await CliRunner.RunAsync("policy", "import", custom, BuiltIn("Storage_AuditForHTTPSEnabled_Audit.json"), "--out", pack, "--allow-partial");

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("Imported 1 of 2 definition(s)", strict.Out, StringComparison.Ordinal);
        Assert.Contains("Not converted 1:", strict.Out, StringComparison.Ordinal);
        Assert.Contains($"{custom}:2:", strict.Out, StringComparison.Ordinal);
        Assert.Contains("$.properties.policyRule.if: the if names no resource type", strict.Out, StringComparison.Ordinal);
        Assert.Equal(0, partial.ExitCode);
        Assert.True(File.Exists(pack));
    }

    [Fact]
    public async Task Parameter_values_come_from_param_and_from_an_assignment_file_and_an_undeclared_one_is_bad_usage()
    {
        var assignment = Write("assignment.json", """
            { "displayName": "Storage TLS", "policyDefinitionId": "/providers/Microsoft.Authorization/policyDefinitions/fe83a0eb-a853-422d-aac2-1bffd182c5d0",
              "parameters": { "minimumTlsVersion": { "value": "TLS1_1" } } }
            """);
        var pack = Path.Combine(_dir, "tls.json");

        var fromFile = await CliRunner.RunAsync("policy", "import", BuiltIn("StorageAccountMinimumTLSVersion_Audit.json"), "--params", assignment, "--out", pack);
        var fileText = await File.ReadAllTextAsync(pack);
        var fromParam = await CliRunner.RunAsync("policy", "import", BuiltIn("StorageAccountMinimumTLSVersion_Audit.json"), "--params", assignment, "--param", "minimumTlsVersion=TLS1_2", "--out", pack);
        var paramText = await File.ReadAllTextAsync(pack);
        var unknown = await CliRunner.RunAsync("policy", "import", BuiltIn("StorageAccountMinimumTLSVersion_Audit.json"), "--param", "minimumTlsVersoin=TLS1_2", "--out", pack);

        Assert.Equal(0, fromFile.ExitCode);
        Assert.Contains("\"minimumTlsVersion\": \"TLS1_1\"", fileText, StringComparison.Ordinal);
        Assert.Equal(0, fromParam.ExitCode);
        Assert.Contains("\"minimumTlsVersion\": \"TLS1_2\"", paramText, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no imported definition or initiative declares a parameter 'minimumTlsVersoin'; did you mean 'minimumTlsVersion'?", unknown.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"properties\": { \"policyRule\": { \"if\": { \"field\": \"type\", } } } }", ":1:", "trailing comma")]
    [InlineData("{ \"properties\": { \"displayName\": \"x\" } }", ":1:1: $:", "not a policy definition or initiative")]
    public async Task Malformed_input_gives_exit_code_2_with_the_file_line_and_path_and_no_stack_trace(string json, string where, string message)
    {
        var file = Write("broken.json", json);

        var (code, _, error) = await CliRunner.RunAsync("policy", "import", file, "--out", Path.Combine(_dir, "x.json"));

        Assert.Equal(2, code);
        Assert.Contains(file + where, error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.json")));
    }

    [Fact]
    public async Task Live_import_reads_the_assignments_their_definitions_and_initiatives_and_the_values_they_give()
    {
        // Shapes: listPolicyAssignmentsForResourceGroup.json, getPolicySetDefinition.json and
        // getPolicyDefinitionAtManagementGroup.json of specification/resources/resource-manager/
        // Microsoft.Authorization/policy/stable/2023-04-01/examples (Azure/azure-rest-api-specs); a built-in
        // definition as ARM returns it is the file of Azure/azure-policy.
        var setId = $"/subscriptions/{Subscription}/providers/Microsoft.Authorization/policySetDefinitions/CostManagement";
        var namingId = $"/subscriptions/{Subscription}/providers/Microsoft.Authorization/policyDefinitions/ResourceNaming";
        const string Https = "/providers/Microsoft.Authorization/policyDefinitions/404c3081-a854-4457-ae30-26a93ef643f9";
        const string Tls = "/providers/Microsoft.Authorization/policyDefinitions/fe83a0eb-a853-422d-aac2-1bffd182c5d0";
        _fake.ArmBodies[$"/subscriptions/{Subscription}/providers/Microsoft.Authorization/policyAssignments"] = $$"""
            { "value": [
              { "id": "/subscriptions/{{Subscription}}/providers/Microsoft.Authorization/policyAssignments/SecureTransfer", "type": "Microsoft.Authorization/policyAssignments", "name": "SecureTransfer",
                "properties": { "displayName": "Secure transfer", "policyDefinitionId": "{{Https}}", "scope": "/subscriptions/{{Subscription}}", "notScopes": [] } },
              { "id": "/subscriptions/{{Subscription}}/providers/Microsoft.Authorization/policyAssignments/CostManagement", "type": "Microsoft.Authorization/policyAssignments", "name": "CostManagement",
                "properties": { "displayName": "Cost Management", "policyDefinitionId": "{{setId}}", "parameters": { "tls": { "value": "TLS1_1" } }, "scope": "/subscriptions/{{Subscription}}", "notScopes": [] } } ] }
            """;
        _fake.ArmBodies[setId] = $$"""
            { "id": "{{setId}}", "type": "Microsoft.Authorization/policySetDefinitions", "name": "CostManagement",
              "properties": { "displayName": "Cost Management", "version": "1.2.1", "parameters": { "tls": { "type": "String", "defaultValue": "TLS1_2" } },
                "policyDefinitionGroups": [ { "name": "NIST_SP_800-53_R5_SC-8" } ],
                "policyDefinitions": [
                  { "policyDefinitionId": "{{Tls}}", "policyDefinitionReferenceId": "Tls", "groupNames": [ "NIST_SP_800-53_R5_SC-8" ], "parameters": { "minimumTlsVersion": { "value": "[parameters('tls')]" } } },
                  { "policyDefinitionId": "{{namingId}}", "policyDefinitionReferenceId": "Resource_Naming", "parameters": { "prefix": { "value": "DeptA" } } } ] } }
            """;
        _fake.ArmBodies[namingId] = $$"""
            { "id": "{{namingId}}", "type": "Microsoft.Authorization/policyDefinitions", "name": "ResourceNaming",
              "properties": { "mode": "All", "displayName": "Naming Convention", "policyType": "Custom",
                "policyRule": { "if": { "not": { "field": "name", "like": "[concat(parameters('prefix'), '*')]" } }, "then": { "effect": "deny" } },
                "parameters": { "prefix": { "type": "String" } } } }
            """;
        _fake.ArmBodies[Https] = await File.ReadAllTextAsync(BuiltIn("Storage_AuditForHTTPSEnabled_Audit.json"));
        _fake.ArmBodies[Tls] = await File.ReadAllTextAsync(BuiltIn("StorageAccountMinimumTLSVersion_Audit.json"));
        var pack = Path.Combine(_dir, "live.json");

        var (code, output, error) = await CliRunner.RunAsync(Collectors(new FakeCredential()), "policy", "import", "--live", "--subscription", Subscription, "--out", pack, "--allow-partial");

        Assert.True(code == 0, error);
        Assert.Contains("2 assignment(s), 4 definition(s) and initiative(s).", error, StringComparison.Ordinal);
        Assert.Contains("Imported 2 of 3 definition(s)", output, StringComparison.Ordinal);
        Assert.Contains("Naming Convention (ResourceNaming):", output, StringComparison.Ordinal);
        var rules = JsonNode.Parse(await File.ReadAllTextAsync(pack))!["rules"]!.AsArray();
        var tls = rules.Single(r => (string)r!["id"]! == "AZP-FE83A0EB-A853-422D-AAC2-1BFFD182C5D0")!;
        Assert.Equal("TLS1_1", (string)tls["policy"]!["parameters"]!["minimumTlsVersion"]!);
        Assert.Equal("SC-8", (string)tls["controls"]!["NIST-800-53-r5"]![0]!);
        Assert.Contains(_fake.Requests, r => r.Path.EndsWith("/policyAssignments", StringComparison.Ordinal) && r.Query.Contains("atScope()", StringComparison.Ordinal) && r.Query.Contains("api-version=2023-04-01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Live_import_that_may_not_read_assignments_says_what_to_grant_with_exit_code_2()
    {
        _fake.AddFault(new FakeFault(r => r.Path.EndsWith("/policyAssignments", StringComparison.Ordinal), times: 100) { Status = 403, ErrorCode = "AuthorizationFailed", ErrorMessage = "The client does not have authorization." });

        var (code, _, error) = await CliRunner.RunAsync(Collectors(new FakeCredential()), "policy", "import", "--live", "--subscription", Subscription, "--out", Path.Combine(_dir, "l.json"));

        Assert.Equal(2, code);
        Assert.Contains($"Could not read the policy assignments of /subscriptions/{Subscription}: Azure Resource Manager answered 403", error, StringComparison.Ordinal);
        Assert.Contains("needs Reader", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aliases_refresh_writes_a_catalog_from_the_providers_that_the_import_reads()
    {
        // Shape: GetProviders.json (Microsoft.Resources 2021-04-01 examples) with an alias per the Alias schema (name, paths, defaultPath).
        _fake.ArmBodies["/providers"] = """
            { "value": [ { "id": "/providers/Microsoft.Storage", "namespace": "Microsoft.Storage", "registrationState": "Registered",
              "resourceTypes": [ { "resourceType": "storageAccounts", "locations": [ "West US" ], "apiVersions": [ "2023-05-01" ],
                "aliases": [ { "name": "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "paths": [ { "path": "properties.supportsHttpsTrafficOnly", "apiVersions": [ "2023-05-01" ] } ], "type": "NotSpecified", "defaultPath": "properties.supportsHttpsTrafficOnly" },
                             { "name": "Microsoft.Storage/storageAccounts/newThing", "paths": [ { "path": "properties.brandNewThing", "apiVersions": [ "2026-11-01" ] } ], "type": "NotSpecified" } ] } ] } ] }
            """;
        var catalog = Path.Combine(_dir, "aliases.tsv.gz");
        var definition = Write("new.json", """
            { "properties": { "displayName": "New thing is on", "mode": "Indexed",
              "policyRule": { "if": { "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "Microsoft.Storage/storageAccounts/newThing", "notEquals": true } ] }, "then": { "effect": "audit" } } },
              "name": "new-thing" }
            """);

        var refresh = await CliRunner.RunAsync(Collectors(new FakeCredential()), "policy", "aliases", "refresh", "--out", catalog);
        var withBundled = await CliRunner.RunAsync("policy", "import", definition, "--out", Path.Combine(_dir, "a.json"));
        var withRefreshed = await CliRunner.RunAsync("policy", "import", definition, "--aliases", catalog, "--out", Path.Combine(_dir, "b.json"));

        Assert.Equal(0, refresh.ExitCode);
        Assert.Contains("Wrote 2 aliases of 1 resource types", refresh.Out, StringComparison.Ordinal);
        await using (var gzip = new GZipStream(File.OpenRead(catalog), CompressionMode.Decompress))
        {
            using var reader = new StreamReader(gzip);
            Assert.StartsWith("# source ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(1, withBundled.ExitCode);
        Assert.Contains("unknown alias 'Microsoft.Storage/storageAccounts/newThing'", withBundled.Out, StringComparison.Ordinal);
        Assert.Equal(0, withRefreshed.ExitCode);
        Assert.Contains("properties.brandNewThing", await File.ReadAllTextAsync(Path.Combine(_dir, "b.json")), StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Action<IServiceCollection> Collectors(FakeCredential credential) => services =>
    {
        services.AddSingleton<TokenCredential>(credential);
        services.AddSingleton(new CollectorTransport(_fake.CreateHandler()));
        services.AddSingleton<TimeProvider>(new InstantTimeProvider(CliRunner.Now));
    };
}
