using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Azure.Tests.Collectors.Fakes;

/// <summary>
/// The data behind the fake Azure: Resource Graph rows (kept as UTF-8 JSON, so a tenant of 100k
/// resources stays small), ARM child lists under their parents, and Microsoft Graph collections.
/// </summary>
public sealed class FakeTenant
{
    private readonly List<FakeRow> _rows = [];
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _parents = new(StringComparer.OrdinalIgnoreCase);

    public string TenantId { get; init; } = "11111111-1111-1111-1111-111111111111";

    public string DisplayName { get; init; } = "Contoso";

    public List<(string Id, string Name)> Subscriptions { get; } = [];

    /// <summary>Subscriptions whose Resource Graph queries are denied (403 AuthorizationFailed).</summary>
    public HashSet<string> ForbiddenSubscriptions { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<string>> Graph { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<FakeRow> Rows => _rows;

    public int ResourceCount => _rows.Count;

    public FakeTenant AddSubscription(string id, string name)
    {
        Subscriptions.Add((id, name));
        AddRow(new JsonObject
        {
            ["id"] = "/subscriptions/" + id,
            ["name"] = name,
            ["type"] = "microsoft.resources/subscriptions",
            ["tenantId"] = TenantId,
            ["subscriptionId"] = id,
            ["properties"] = new JsonObject { ["state"] = "Enabled" },
        });
        return this;
    }

    /// <summary>Adds a Resource Graph row (its type is stored in lower case, as Resource Graph returns it).</summary>
    public FakeTenant AddRow(JsonObject row)
    {
        row["type"] = row["type"]!.GetValue<string>().ToLowerInvariant();
        AddRaw(row["id"]!.GetValue<string>(), row["type"]!.GetValue<string>(), Encoding.UTF8.GetBytes(row.ToJsonString()));
        return this;
    }

    public void AddRaw(string id, string type, byte[] json)
    {
        _rows.Add(new FakeRow(id, type, SubscriptionOf(id), TableOf(type), json));
        _parents.Add(id);
    }

    /// <summary>Adds an ARM child (GET {parentId}/{segment}) — something Resource Graph does not return.</summary>
    public FakeTenant AddChild(string parentId, string segment, JsonObject child)
    {
        var key = parentId + "/" + segment;
        if (!_children.TryGetValue(key, out var list))
        {
            _children[key] = list = [];
        }

        list.Add(child.ToJsonString());
        return this;
    }

    public FakeTenant AddGraph(string collection, JsonObject item)
    {
        if (!Graph.TryGetValue(collection, out var list))
        {
            Graph[collection] = list = [];
        }

        list.Add(item.ToJsonString());
        return this;
    }

    /// <summary>The children of a parent, or null when the parent does not exist (404).</summary>
    public IReadOnlyList<string>? ChildrenOf(string parentId, string segment) =>
        _children.TryGetValue(parentId + "/" + segment, out var list) ? list : _parents.Contains(parentId) ? [] : null;

    public static string TableOf(string type)
    {
        var t = type.ToLowerInvariant();
        if (t is "microsoft.resources/subscriptions" or "microsoft.resources/subscriptions/resourcegroups")
        {
            return "resourcecontainers";
        }

        if (t.StartsWith("microsoft.authorization/", StringComparison.Ordinal))
        {
            return "authorizationresources";
        }

        return t.Contains("/patchassessmentresults", StringComparison.Ordinal) ? "patchassessmentresources" : "resources";
    }

    public static string SubscriptionOf(string id)
    {
        var parts = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ? parts[1].ToLowerInvariant() : string.Empty;
    }

    /// <summary>
    /// A generated tenant for the benchmark: <paramref name="subscriptions"/> subscriptions with
    /// <paramref name="resourcesPerSubscription"/> Resource Graph rows each, of the types the bundled
    /// rules need, a few SQL servers and databases whose firewall rules and TDE state come from ARM,
    /// and a directory of <paramref name="users"/> registration records.
    /// </summary>
    public static FakeTenant Generate(int subscriptions, int resourcesPerSubscription, int users)
    {
        var tenant = new FakeTenant();
        for (var s = 0; s < subscriptions; s++)
        {
            var sub = $"{s:x8}-0000-4000-8000-{s:x12}";
            tenant.AddSubscription(sub, $"Subscription {s}");
            var prefix = $"/subscriptions/{sub}/resourceGroups/rg{s % 7}/providers";
            var left = resourcesPerSubscription - 1;
            void Add(JsonObject row)
            {
                row["subscriptionId"] = sub;
                var id = row["id"]!.GetValue<string>();
                tenant.AddRaw(id, row["type"]!.GetValue<string>(), Encoding.UTF8.GetBytes(row.ToJsonString()));
                left--;
            }

            for (var i = 0; i < 4 && left > 0; i++)
            {
                Add(new JsonObject
                {
                    ["id"] = $"/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments/ra{i}",
                    ["name"] = $"ra{i}",
                    ["type"] = "microsoft.authorization/roleassignments",
                    ["properties"] = new JsonObject
                    {
                        ["roleDefinitionId"] = $"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{Compliance.Tests.Shared.WellKnownIds.AzureRole("Owner")}",
                        ["principalId"] = $"p{i}",
                        ["scope"] = $"/subscriptions/{sub}",
                    },
                });
            }

            for (var i = 0; i < 2 && left > 0; i++)
            {
                var server = $"{prefix}/Microsoft.Sql/servers/sql{s}-{i}";
                Add(new JsonObject { ["id"] = server, ["name"] = $"sql{s}-{i}", ["type"] = "microsoft.sql/servers", ["location"] = "westeurope", ["properties"] = new JsonObject { ["version"] = "12.0" } });
                tenant.AddChild(server, "firewallRules", new JsonObject { ["id"] = server + "/firewallRules/office", ["name"] = "office", ["type"] = "Microsoft.Sql/servers/firewallRules", ["properties"] = new JsonObject { ["startIpAddress"] = "198.51.100.10", ["endIpAddress"] = "198.51.100.20" } });
                for (var d = 0; d < 2 && left > 0; d++)
                {
                    var db = $"{server}/databases/db{d}";
                    Add(new JsonObject { ["id"] = db, ["name"] = $"db{d}", ["type"] = "microsoft.sql/servers/databases", ["location"] = "westeurope", ["properties"] = new JsonObject { ["status"] = "Online" } });
                    tenant.AddChild(db, "transparentDataEncryption", new JsonObject { ["id"] = db + "/transparentDataEncryption/Current", ["name"] = "Current", ["type"] = "Microsoft.Sql/servers/databases/transparentDataEncryption", ["properties"] = new JsonObject { ["state"] = "Enabled" } });
                }
            }

            var vms = left * 15 / 100;
            for (var i = 0; i < vms && left > 1; i++)
            {
                var vm = $"{prefix}/Microsoft.Compute/virtualMachines/vm{i}";
                var mode = i % 3 == 0 ? "ImageDefault" : "AutomaticByPlatform";
                Add(new JsonObject
                {
                    ["id"] = vm,
                    ["name"] = $"vm{i}",
                    ["type"] = "microsoft.compute/virtualmachines",
                    ["location"] = "westeurope",
                    ["tags"] = new JsonObject { ["env"] = "prod" },
                    ["properties"] = JsonNode.Parse($"{{\"hardwareProfile\":{{\"vmSize\":\"Standard_D2s_v5\"}},\"osProfile\":{{\"linuxConfiguration\":{{\"patchSettings\":{{\"assessmentMode\":\"{mode}\"}}}}}}}}"),
                });
                Add(new JsonObject
                {
                    ["id"] = vm + "/patchAssessmentResults/latest",
                    ["name"] = "latest",
                    ["type"] = "microsoft.compute/virtualmachines/patchassessmentresults",
                    ["properties"] = new JsonObject
                    {
                        ["lastModifiedDateTime"] = "2026-11-26T03:00:00Z",
                        ["availablePatchCountByClassification"] = new JsonObject { ["critical"] = i % 5 == 0 ? 1 : 0, ["security"] = 0, ["other"] = 3 },
                    },
                });
            }

            var nsgs = left * 30 / 100;
            for (var i = 0; i < nsgs && left > 0; i++)
            {
                Add(new JsonObject
                {
                    ["id"] = $"{prefix}/Microsoft.Network/networkSecurityGroups/nsg{i}",
                    ["name"] = $"nsg{i}",
                    ["type"] = "microsoft.network/networksecuritygroups",
                    ["location"] = "westeurope",
                    ["properties"] = new JsonObject
                    {
                        ["securityRules"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "rdp",
                            ["properties"] = new JsonObject
                            {
                                ["direction"] = "Inbound",
                                ["access"] = "Allow",
                                ["protocol"] = "Tcp",
                                ["sourceAddressPrefix"] = i % 10 == 0 ? "*" : "10.0.0.0/8",
                                ["destinationPortRange"] = "3389",
                            },
                        }),
                    },
                });
            }

            for (var i = 0; left > 0; i++)
            {
                Add(new JsonObject
                {
                    ["id"] = $"{prefix}/Microsoft.Storage/storageAccounts/st{s}x{i}",
                    ["name"] = $"st{s}x{i}",
                    ["type"] = "microsoft.storage/storageaccounts",
                    ["kind"] = "StorageV2",
                    ["location"] = "westeurope",
                    ["sku"] = new JsonObject { ["name"] = "Standard_LRS" },
                    ["tags"] = new JsonObject(),
                    ["properties"] = new JsonObject
                    {
                        ["minimumTlsVersion"] = i % 4 == 0 ? "TLS1_0" : "TLS1_2",
                        ["supportsHttpsTrafficOnly"] = true,
                        ["networkAcls"] = new JsonObject { ["defaultAction"] = "Deny" },
                    },
                });
            }
        }

        tenant.AddGraph("organization", new JsonObject { ["id"] = tenant.TenantId, ["displayName"] = tenant.DisplayName });
        tenant.AddGraph("conditionalAccessPolicies", MfaPolicy("p1", "enabled"));
        for (var u = 0; u < users; u++)
        {
            tenant.AddGraph("userRegistrationDetails", new JsonObject
            {
                ["id"] = $"u{u}",
                ["userPrincipalName"] = $"user{u}@contoso.example",
                ["isAdmin"] = u % 50 == 0,
                ["isMfaRegistered"] = u % 7 != 0,
                ["userType"] = "member",
            });
        }

        return tenant;
    }

    public static JsonObject MfaPolicy(string id, string state) => new()
    {
        ["id"] = id,
        ["displayName"] = "Require MFA for all users",
        ["state"] = state,
        ["conditions"] = new JsonObject
        {
            ["users"] = new JsonObject { ["includeUsers"] = new JsonArray("All") },
            ["applications"] = new JsonObject { ["includeApplications"] = new JsonArray("All") },
        },
        ["grantControls"] = new JsonObject { ["operator"] = "OR", ["builtInControls"] = new JsonArray("mfa") },
    };

    /// <summary>Parses a stored item (for $select projection).</summary>
    public static JsonObject Parse(string json) => JsonNode.Parse(json, documentOptions: new JsonDocumentOptions())!.AsObject();
}

/// <summary>A Resource Graph row: its id, lower-case type, subscription, table and JSON.</summary>
public sealed record FakeRow(string Id, string Type, string SubscriptionId, string Table, byte[] Json);
