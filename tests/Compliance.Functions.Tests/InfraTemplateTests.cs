using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Compliance.Azure.LogAnalytics;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
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
    public async Task The_Log_Analytics_table_and_stream_declare_the_columns_the_app_writes_with_their_types_and_no_reserved_name()
    {
        using var template = await BuildAsync();
        var declared = template.RootElement.GetProperty("variables").GetProperty("findingColumns").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("type").GetString()!, StringComparer.Ordinal);

        // The table's schema and the rule's stream declaration are both that one list.
        var table = Resource(template, "Microsoft.OperationalInsights/workspaces/tables");
        Assert.Equal("[variables('findingColumns')]", table.GetProperty("properties").GetProperty("schema").GetProperty("columns").GetString());
        var rule = Resource(template, "Microsoft.Insights/dataCollectionRules");
        var stream = Assert.Single(rule.GetProperty("properties").GetProperty("streamDeclarations").EnumerateObject());
        Assert.Equal("[format('{0}', variables('findingsStream'))]", stream.Name);
        Assert.Equal("[variables('findingColumns')]", stream.Value.GetProperty("columns").GetString());
        var flow = Assert.Single(rule.GetProperty("properties").GetProperty("dataFlows").EnumerateArray());
        Assert.Equal(("[variables('findingsStream')]", "source"), (flow.GetProperty("outputStream").GetString(), flow.GetProperty("transformKql").GetString()));

        // A finding with every field set, as FindingRows writes it: the same names, and each value of its column's type.
        var run = new RunRecord { RunId = "20261127T020000Z-3f9c1a2b", TenantId = "t", StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch.AddMinutes(4), Status = RunStatus.Completed };
        var sample = TeamsCardTests.Alert().Top[0];
        var finding = sample.Finding with
        {
            Location = "westeurope", SubscriptionId = "9a4e2b7c-1f3d-4c6a-8e5b-7d2f0a1c3e56", SuppressionExpiresOn = DateTimeOffset.UnixEpoch.AddDays(30),
            Message = $"Storage account {sample.Finding.ResourceName} allows public access to its blobs",
        };
        var row = FindingRows.Row(run, new StoredFinding(finding, "/subscriptions/9a4e2b7c-1f3d-4c6a-8e5b-7d2f0a1c3e56", HistoryStatus.New, Carried: false), DateTimeOffset.UnixEpoch);
        Assert.Equal(declared.Keys.Order(StringComparer.Ordinal), row.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var (name, value) in row)
        {
            Assert.True(value is not null, $"{name} has no value in the sample: its type is not checked");
            var kind = value!.GetValueKind();
            var type = kind switch
            {
                JsonValueKind.String when DateTimeOffset.TryParseExact(value.GetValue<string>(), "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _) => "datetime",
                JsonValueKind.String => "string",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Object or JsonValueKind.Array => "dynamic",
                _ => kind.ToString(),
            };
            Assert.True(declared[name] == type, $"column {name} is declared {declared[name]}, the app writes a {type}");
        }

        // Microsoft Learn, "Logs Ingestion API in Azure Monitor" (supported tables): reserved column names; names start with a letter.
        string[] reserved = ["Type", "TenantId", "resource", "resourceid", "resourcename", "resourcetype", "subscriptionid", "tenanted"];
        Assert.All(declared.Keys, n => Assert.DoesNotContain(n, reserved, StringComparer.OrdinalIgnoreCase));
        Assert.All(declared.Keys, n => Assert.Matches("^[A-Za-z][A-Za-z0-9_-]{0,44}$", n));
        Assert.Equal("datetime", declared["TimeGenerated"]);

        Assert.Equal("[parameters('logAnalyticsExport')]", rule.GetProperty("condition").GetString());
        Assert.Equal("[format('Custom-{0}', variables('findingsTable'))]", template.RootElement.GetProperty("variables").GetProperty("findingsStream").GetString());
        Assert.Equal("ComplianceFindings_CL", template.RootElement.GetProperty("variables").GetProperty("findingsTable").GetString());
        Assert.Equal("Custom-ComplianceFindings_CL", new LogAnalyticsOptions().Stream);
        Assert.Contains(Resources(template), r => r.GetProperty("type").GetString() == "Microsoft.Insights/dataCollectionEndpoints");
        var settings = AppSettings(template);
        Assert.Contains("createObject('name', 'LogAnalytics__Enabled', 'value', 'true')", settings, StringComparison.Ordinal);
        Assert.Contains("'LogAnalytics__RuleId', 'value', reference(resourceId('Microsoft.Insights/dataCollectionRules'", settings, StringComparison.Ordinal);
        Assert.Contains("immutableId", settings, StringComparison.Ordinal);
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
