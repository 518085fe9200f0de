using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Compliance.Azure.LogAnalytics;
using Compliance.Core.Findings;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;

namespace Compliance.Functions.Tests;

/// <summary>
/// infra/main.bicep compiles with the Bicep CLI, without errors or linter warnings, with every option
/// (the example parameter files switch them on), and declares what the options promise.
/// </summary>
public sealed class InfraTemplateTests
{
    [Fact]
    public async Task The_deployment_template_builds_into_an_ARM_template_without_warnings()
    {
        using var template = await BuildAsync();
        var types = Resources(template).Select(r => r.GetProperty("type").GetString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Microsoft.Web/sites", types);
        Assert.Contains("Microsoft.KeyVault/vaults", types);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", types);
    }

    [Theory]
    [InlineData("private-network.bicepparam")]
    [InlineData("cross-tenant.bicepparam")]
    public async Task The_example_parameter_files_build_against_the_template_without_warnings(string file)
    {
        var (output, error) = await RunBicepAsync("build-params", RepoPaths.File("infra", "examples", file), "--stdout");
        Assert.Equal(string.Empty, error.Trim());
        using var parameters = JsonDocument.Parse(output);
        Assert.True(parameters.RootElement.TryGetProperty("parametersJson", out _) || parameters.RootElement.TryGetProperty("parameters", out _), output[..Math.Min(200, output.Length)]);
    }

    [Fact]
    public async Task The_azd_parameter_file_names_only_parameters_the_template_declares()
    {
        using var template = await BuildAsync();
        var declared = template.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.File("infra", "main.parameters.json")));
        var named = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(named, n => Assert.Contains(n, declared));
        Assert.Contains("privateNetworking", named);
        Assert.Contains("logAnalyticsExport", named);
    }

    [Fact]
    public async Task The_vault_can_be_redeployed_with_purge_protection_a_salted_name_or_the_soft_deleted_vault_recovered()
    {
        using var template = await BuildAsync();
        var vault = Resource(template, "Microsoft.KeyVault/vaults").GetProperty("properties");
        Assert.Equal("[if(parameters('recoverSoftDeletedVault'), 'recover', 'default')]", vault.GetProperty("createMode").GetString());
        Assert.Equal("[if(parameters('vaultPurgeProtection'), true(), null())]", vault.GetProperty("enablePurgeProtection").GetString());
        Assert.Contains("parameters('vaultNameSalt')", template.RootElement.GetProperty("variables").GetProperty("vaultName").GetString(), StringComparison.Ordinal);
        Assert.True(template.RootElement.GetProperty("parameters").GetProperty("vaultPurgeProtection").GetProperty("defaultValue").GetBoolean());
    }

    [Fact]
    public async Task Host_storage_is_reached_by_account_name_in_the_public_cloud_and_by_service_URIs_in_the_others()
    {
        using var template = await BuildAsync();
        var cloud = template.RootElement.GetProperty("variables").GetProperty("cloud").GetString()!;
        Assert.Contains("'AzureUSGovernment'), 'usgov'", cloud, StringComparison.Ordinal);
        Assert.Contains("'AzureChinaCloud'), 'china'", cloud, StringComparison.Ordinal);
        var settings = AppSettings(template);
        var publicBranch = settings.IndexOf("if(equals(variables('cloud'), 'public'), createArray(createObject('name', 'AzureWebJobsStorage__accountName'", StringComparison.Ordinal);
        Assert.True(publicBranch >= 0, settings[..300]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Contains($"createObject('name', 'AzureWebJobsStorage__{service}ServiceUri', 'value', reference(resourceId('Microsoft.Storage/storageAccounts', variables('storageName')), '2023-05-01').primaryEndpoints.{service})", settings, StringComparison.Ordinal);
        }

        Assert.Contains("'Collectors__Azure__Cloud', 'value', variables('cloud')", settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Private_networking_puts_storage_and_the_vault_behind_private_endpoints_with_their_DNS_zones_and_the_app_on_the_network()
    {
        using var template = await BuildAsync();
        var endpoints = Resources(template).Where(r => r.GetProperty("type").GetString() == "Microsoft.Network/privateEndpoints").ToList();
        Assert.Equal(2, endpoints.Count); // the storage loop (blob, queue, table) and the vault
        Assert.All(endpoints, e => Assert.Equal("[parameters('privateNetworking')]", e.GetProperty("condition").GetString()));
        Assert.Equal(["blob", "queue", "table"], template.RootElement.GetProperty("variables").GetProperty("storageEndpoints").EnumerateArray().Select(e => e.GetString()));
        var zones = template.RootElement.GetProperty("variables").GetProperty("privateZones");
        Assert.Equal("[format('privatelink.blob.{0}', environment().suffixes.storage)]", zones.GetProperty("blob").GetString());
        Assert.Equal("[format('privatelink.vaultcore.{0}', replace(environment().suffixes.keyvaultDns, '.vault.', ''))]", zones.GetProperty("vault").GetString());
        Assert.Contains(Resources(template), r => r.GetProperty("type").GetString() == "Microsoft.Network/privateDnsZones/virtualNetworkLinks");
        var subnets = Resource(template, "Microsoft.Network/virtualNetworks").GetProperty("properties").GetProperty("subnets");
        Assert.Equal("Microsoft.App/environments", subnets[0].GetProperty("properties").GetProperty("delegations")[0].GetProperty("properties").GetProperty("serviceName").GetString());
        var app = Resource(template, "Microsoft.Web/sites").GetProperty("properties");
        Assert.StartsWith("[if(parameters('privateNetworking'),", app.GetProperty("virtualNetworkSubnetId").GetString(), StringComparison.Ordinal);
        Assert.Equal("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", Resource(template, "Microsoft.Storage/storageAccounts").GetProperty("properties").GetProperty("publicNetworkAccess").GetString());
        Assert.Equal("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", Resource(template, "Microsoft.KeyVault/vaults").GetProperty("properties").GetProperty("publicNetworkAccess").GetString());
    }

    [Fact]
    public async Task The_Log_Analytics_export_declares_the_columns_the_app_writes_and_grants_the_identity_the_rule()
    {
        using var template = await BuildAsync();
        var columns = template.RootElement.GetProperty("variables").GetProperty("findingColumns").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
        var run = new RunRecord { RunId = "r", TenantId = "t", StartedAt = DateTimeOffset.UnixEpoch, Status = RunStatus.Completed };
        var row = FindingRows.Row(run, new StoredFinding(TeamsCardTests.Alert().Top[0].Finding, "/subscriptions/x"), DateTimeOffset.UnixEpoch);
        Assert.Equal(columns.Order(StringComparer.Ordinal), row.Select(p => p.Key).Order(StringComparer.Ordinal));

        var rule = Resource(template, "Microsoft.Insights/dataCollectionRules");
        Assert.Equal("[parameters('logAnalyticsExport')]", rule.GetProperty("condition").GetString());
        Assert.Equal("[format('Custom-{0}', variables('findingsTable'))]", template.RootElement.GetProperty("variables").GetProperty("findingsStream").GetString());
        Assert.Equal("ComplianceFindings_CL", template.RootElement.GetProperty("variables").GetProperty("findingsTable").GetString());
        Assert.Contains(Resources(template), r => r.GetProperty("type").GetString() == "Microsoft.Insights/dataCollectionEndpoints");
        Assert.Contains(Resources(template), r => r.GetProperty("type").GetString() == "Microsoft.OperationalInsights/workspaces/tables");
        Assert.Contains("'LogAnalytics__RuleId'", AppSettings(template), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_rules_query_the_metrics_the_app_emits_and_the_storage_account_and_vault_log_to_the_workspace()
    {
        using var template = await BuildAsync();
        var queries = template.RootElement.GetProperty("variables").GetProperty("alertRules").EnumerateArray().Select(r => r.GetProperty("query").GetString()!).ToList();
        Assert.Equal(3, queries.Count);
        Assert.Contains(queries, q => q.Contains($"\"{ComplianceMetrics.ScopesPoisoned}\"", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains($"\"{ComplianceMetrics.RunsFinalized}\"", StringComparison.Ordinal) && q.Contains("\"incomplete\"", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains($"\"{ComplianceMetrics.Notifications}\"", StringComparison.Ordinal) && q.Contains($"\"{NotificationStatus.Failed.ToWire()}\"", StringComparison.Ordinal));
        Assert.Equal(4, Resources(template).Count(r => r.GetProperty("type").GetString() == "Microsoft.Insights/diagnosticSettings"));
        Assert.Equal("OpenTelemetry", JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.File("host.json"))).RootElement.GetProperty("telemetryMode").GetString());
    }

    [Fact]
    public async Task The_scale_out_is_bounded_by_a_parameter_and_host_json_bounds_each_instance()
    {
        using var template = await BuildAsync();
        var max = template.RootElement.GetProperty("parameters").GetProperty("maximumInstanceCount");
        Assert.Equal((40, 1000, 40), (max.GetProperty("minValue").GetInt32(), max.GetProperty("maxValue").GetInt32(), max.GetProperty("defaultValue").GetInt32()));
        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.File("host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");

        // Per instance at most batchSize + newBatchThreshold scope scans at once (Microsoft Learn, host.json reference for queues).
        Assert.Equal(3, queues.GetProperty("batchSize").GetInt32() + queues.GetProperty("newBatchThreshold").GetInt32());
    }

    /// <summary>The template compiled once for all the tests of this class (the compiler takes seconds).</summary>
    private static readonly Lazy<Task<(string Output, string Error)>> Compiled = new(() => RunBicepAsync("build", RepoPaths.File("infra", "main.bicep"), "--stdout"));

    private static async Task<JsonDocument> BuildAsync()
    {
        var (output, error) = await Compiled.Value;
        Assert.Equal(string.Empty, error.Trim());
        return JsonDocument.Parse(output);
    }

    private static IEnumerable<JsonElement> Resources(JsonDocument template)
    {
        var resources = template.RootElement.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray() : resources.EnumerateObject().Select(p => p.Value);
    }

    private static JsonElement Resource(JsonDocument template, string type) => Assert.Single(Resources(template), r => r.GetProperty("type").GetString() == type);

    private static string AppSettings(JsonDocument template) =>
        Resource(template, "Microsoft.Web/sites").GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").GetString()!;

    private static async Task<(string Output, string Error)> RunBicepAsync(params string[] arguments)
    {
        var bicep = typeof(InfraTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        Assert.True(File.Exists(bicep), $"the Bicep compiler was not restored at {bicep}");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(bicep) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await error);
        return (await output, await error);
    }
}
