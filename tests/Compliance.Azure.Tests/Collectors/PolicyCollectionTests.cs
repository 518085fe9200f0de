using System.Text;
using System.Text.Json.Nodes;
using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Azure.Tests.Collectors;

/// <summary>
/// What imported Azure Policy rules need from the collectors: the diagnostic settings of each
/// resource of the types whose rules count them (an ARM extension list per resource), SQL server
/// administrators, the guest configuration and security tables of Resource Graph, and the types no
/// reader serves, listed as uncollected so that a count of them is never taken for complete.
/// </summary>
public sealed class PolicyCollectionTests
{
    private const string DiagnosticsApi = "api-version=2021-05-01-preview";

    // The body of getDiagnosticSetting.json (Azure/azure-rest-api-specs, specification/monitor/resource-manager/
    // Microsoft.Insights/preview/2021-05-01-preview/examples), attached to a storage account of the fake tenant.
    private static JsonObject Setting(string resourceId) => new()
    {
        ["id"] = resourceId + "/providers/microsoft.insights/diagnosticSettings/mysetting",
        ["type"] = "Microsoft.Insights/diagnosticSettings",
        ["name"] = "mysetting",
        ["properties"] = new JsonObject
        {
            ["storageAccountId"] = "/subscriptions/df602c9c-7aa0-407d-a6fb-eb20c8bd1192/resourceGroups/apptest/providers/Microsoft.Storage/storageAccounts/appteststorage1",
            ["workspaceId"] = string.Empty,
            ["logs"] = new JsonArray(new JsonObject { ["categoryGroup"] = "allLogs", ["enabled"] = true, ["retentionPolicy"] = new JsonObject { ["enabled"] = false, ["days"] = 0 } }),
        },
    };

    [Fact]
    public async Task Diagnostic_settings_are_listed_under_each_resource_of_the_types_whose_rules_count_them_and_no_others()
    {
        var tenant = Contoso(storagePerSubscription: 2);
        var withSetting = StorageAccountId(Prod, "stprod0");
        tenant.AddChild(withSetting + "/providers/Microsoft.Insights", "diagnosticSettings", Setting(withSetting));
        await using var harness = await CollectorHarness.StartAsync(tenant);
        foreach (var (sub, name) in new[] { (Prod, "prod"), (Dev, "dev"), (Test, "test") })
        {
            for (var i = 0; i < 2; i++)
            {
                var id = StorageAccountId(sub, $"st{name}{i}");
                if (id != withSetting)
                {
                    harness.Fake.ArmBodies[id + "/providers/Microsoft.Insights/diagnosticSettings"] = """{ "value": [] }""";
                }
            }
        }

        var collected = await harness.CollectAsync(new CollectionRequest
        {
            IncludeEntra = false,
            ResourceTypes = ["Microsoft.Storage/storageAccounts", "Microsoft.Sql/servers", "Microsoft.Insights/diagnosticSettings"],
            RelatedReads = [("Microsoft.Insights/diagnosticSettings", "Microsoft.Storage/storageAccounts")],
        });

        Assert.True(collected.Result.IsComplete);
        Assert.Equal([withSetting + "/providers/microsoft.insights/diagnosticSettings/mysetting"], collected.IdsOfType("Microsoft.Insights/diagnosticSettings"));
        var lists = harness.Fake.Requests.Where(r => r.IsArm && r.Path.EndsWith("/providers/Microsoft.Insights/diagnosticSettings", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, lists.Count);
        Assert.All(lists, r => Assert.Contains(DiagnosticsApi, r.Query, StringComparison.Ordinal));
        Assert.DoesNotContain(lists, r => r.Path.Contains("Microsoft.Sql", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Fake.Requests, r => r.IsResourceGraph && r.Body.Contains("diagnosticsettings", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(collected.Header.Uncollected);
    }

    [Fact]
    public async Task A_diagnostic_settings_list_that_fails_marks_its_subscription_as_error()
    {
        var tenant = Contoso(storagePerSubscription: 1);
        await using var harness = await CollectorHarness.StartAsync(tenant);
        harness.Fake.AddFault(new FakeFault(r => r.Path.EndsWith("/diagnosticSettings", StringComparison.Ordinal), times: int.MaxValue)
        {
            Status = 403,
            ErrorCode = "AuthorizationFailed",
            ErrorMessage = "The client does not have authorization to perform action 'microsoft.insights/diagnosticSettings/read'.",
        });

        var collected = await harness.CollectAsync(new CollectionRequest
        {
            Subscriptions = [Prod],
            IncludeEntra = false,
            ResourceTypes = ["Microsoft.Storage/storageAccounts", "Microsoft.Insights/diagnosticSettings"],
            RelatedReads = [("Microsoft.Insights/diagnosticSettings", "Microsoft.Storage/storageAccounts")],
        });

        var prod = collected.Scope("/subscriptions/" + Prod);
        Assert.Equal("error", prod.Status);
        Assert.Contains("Microsoft.Insights/diagnosticSettings", prod.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_server_administrators_are_read_from_ARM_under_each_server()
    {
        var tenant = Contoso(storagePerSubscription: 0);
        tenant.AddChild(SqlServer(Prod), "administrators", new JsonObject
        {
            // AdministratorCreateOrUpdate.json (specification/sql/…/2021-11-01/examples), under the fake tenant's server.
            ["id"] = SqlServer(Prod) + "/administrators/ActiveDirectory",
            ["name"] = "ActiveDirectory",
            ["type"] = "Microsoft.Sql/servers/administrators",
            ["properties"] = new JsonObject { ["administratorType"] = "ActiveDirectory", ["login"] = "bob@contoso.com", ["sid"] = "c6b82b90-a647-49cb-8a62-0d2d3cb7ac7c", ["tenantId"] = "c6b82b90-a647-49cb-8a62-0d2d3cb7ac7c" },
        });
        await using var harness = await CollectorHarness.StartAsync(tenant);

        var collected = await harness.CollectAsync(new CollectionRequest { IncludeEntra = false, ResourceTypes = ["Microsoft.Sql/servers", "Microsoft.Sql/servers/administrators"] });

        Assert.True(collected.Result.IsComplete);
        Assert.Equal([SqlServer(Prod) + "/administrators/ActiveDirectory"], collected.IdsOfType("Microsoft.Sql/servers/administrators"));
        Assert.Equal(3, harness.Fake.Requests.Count(r => r.IsArm && r.Path.EndsWith("/administrators", StringComparison.Ordinal) && r.Query.Contains("api-version=2021-11-01", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Guest_configuration_assignments_and_security_assessments_and_pricings_are_queried_in_their_Resource_Graph_tables()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso(storagePerSubscription: 0));

        await harness.CollectAsync(new CollectionRequest
        {
            IncludeEntra = false,
            ResourceTypes = ["Microsoft.GuestConfiguration/guestConfigurationAssignments", "Microsoft.Security/assessments", "Microsoft.Security/pricings"],
        });

        var queries = harness.Fake.Requests.Where(r => r.IsResourceGraph).Select(r => (string)JsonNode.Parse(r.Body)!["query"]!).ToList();
        Assert.Contains(queries, q => q.Contains("guestconfigurationresources | where type in~ ('microsoft.guestconfiguration/guestconfigurationassignments')", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("securityresources | where type in~ ('microsoft.security/assessments', 'microsoft.security/pricings')", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_related_type_no_reader_serves_is_listed_in_the_snapshot_and_its_counts_are_errors_not_passes()
    {
        const string Pack = """
            { "id": "slots", "title": "Slots", "version": "1.0.0", "rules": [ {
              "id": "T-SLOT-001", "title": "Slots use TLS 1.2", "severity": "high", "category": "encryption",
              "resourceTypes": [ "Microsoft.Web/sites/slots" ],
              "condition": { "related": { "type": "Microsoft.Web/sites/slots/config", "scope": "children", "where": { "field": "properties.minTlsVersion", "equals": "1.2" } }, "greaterOrEquals": 1 } } ] }
            """;
        var rules = CompiledRuleSet.Compile(RulePackLoader.Load([new RulePackInput("slots.json", Encoding.UTF8.GetBytes(Pack), _ => false, _ => Stream.Null)]).PacksOrThrow());
        var tenant = Contoso(storagePerSubscription: 0);
        tenant.AddRow(new JsonObject { ["id"] = $"/subscriptions/{Prod}/resourceGroups/rg/providers/Microsoft.Web/sites/app1/slots/staging", ["name"] = "app1/staging", ["type"] = "Microsoft.Web/sites/slots", ["properties"] = new JsonObject() });
        await using var harness = await CollectorHarness.StartAsync(tenant);

        var collected = await harness.CollectAsync(CollectionRequest.ForRules(rules) with { IncludeEntra = false });
        var findings = new List<Finding>();
        using (var reader = SnapshotReader.Open(new MemoryStream(collected.Bytes), "collected.json"))
        {
            await foreach (var finding in new ScanEngine(TimeProvider.System).ScanAsync(reader, rules))
            {
                findings.Add(finding);
            }
        }

        var uncollected = Assert.Single(collected.Header.Uncollected);
        Assert.Equal("Microsoft.Web/sites/slots/config", uncollected.Type);
        var slot = Assert.Single(findings, f => f.RuleId == "T-SLOT-001");
        Assert.Equal(Outcome.Error, slot.Outcome);
        Assert.Contains("were not collected into this snapshot", slot.Reason, StringComparison.Ordinal);
    }
}
