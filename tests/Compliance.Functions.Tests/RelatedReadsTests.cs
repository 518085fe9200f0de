using System.Text.Json.Nodes;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.Store;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>
/// A scope scan reads the related resources its rules count the way the CLI's collection does: the
/// diagnostic settings of each resource of the types whose rules count them (an ARM extension list
/// per resource), which Resource Graph does not index. Without them, an imported Azure Policy
/// auditIfNotExists rule on diagnostic settings could never see one.
/// </summary>
public sealed class RelatedReadsTests : IDisposable
{
    // An auditIfNotExists-shaped rule: a storage account passes when one diagnostic setting under it exists.
    private const string Pack = """
        {
          "id": "diag",
          "title": "Diagnostic settings",
          "version": "1.0.0",
          "rules": [ {
            "id": "DIAG-001",
            "title": "Storage accounts send diagnostic logs",
            "severity": "medium",
            "category": "monitoring",
            "resourceTypes": [ "Microsoft.Storage/storageAccounts" ],
            "condition": { "related": { "type": "Microsoft.Insights/diagnosticSettings", "scope": "children" }, "greaterOrEquals": 1 }
          } ]
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("compliance-related-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_subscription_scan_lists_the_diagnostic_settings_its_rules_count()
    {
        var pack = Path.Combine(_dir, "diag.json");
        await File.WriteAllTextAsync(pack, Pack);
        var tenant = Contoso(storagePerSubscription: 1);
        var withSetting = StorageAccountId(Prod, "stprod0");

        // The body of getDiagnosticSetting.json (Azure/azure-rest-api-specs, specification/monitor/resource-manager/
        // Microsoft.Insights/preview/2021-05-01-preview/examples), attached to one storage account.
        tenant.AddChild(withSetting + "/providers/Microsoft.Insights", "diagnosticSettings", new JsonObject
        {
            ["id"] = withSetting + "/providers/microsoft.insights/diagnosticSettings/mysetting",
            ["type"] = "Microsoft.Insights/diagnosticSettings",
            ["name"] = "mysetting",
            ["properties"] = new JsonObject { ["workspaceId"] = string.Empty, ["logs"] = new JsonArray(new JsonObject { ["categoryGroup"] = "allLogs", ["enabled"] = true }) },
        });
        await using var host = await FunctionsHarness.StartAsync(tenant, settings =>
        {
            settings["Scan:Rules:0"] = pack;
            settings["Scan:IncludeEntra"] = "false";
        });
        foreach (var id in new[] { StorageAccountId(Dev, "stdev0"), StorageAccountId(Test, "sttest0") })
        {
            host.Azure.ArmBodies[id + "/providers/Microsoft.Insights/diagnosticSettings"] = """{ "value": [] }""";
        }

        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();
        run = await host.RunAsync(run.RunId);

        var outcomes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var stored in host.Store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }))
        {
            if (stored.Finding.RuleId == "DIAG-001")
            {
                outcomes[stored.Finding.ResourceId] = stored.Finding.Outcome.ToString();
            }
        }

        Assert.Equal("Completed", run.Status.ToString());
        Assert.Equal("Pass", outcomes[withSetting]);
        Assert.Equal("Fail", outcomes[StorageAccountId(Dev, "stdev0")]);
        Assert.Equal("Fail", outcomes[StorageAccountId(Test, "sttest0")]);
        Assert.Equal(3, host.Azure.Requests.Count(r => r.IsArm && r.Path.EndsWith("/providers/Microsoft.Insights/diagnosticSettings", StringComparison.Ordinal)));
    }
}
