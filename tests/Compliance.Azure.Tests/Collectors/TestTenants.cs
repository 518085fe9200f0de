using System.Text.Json.Nodes;
using Compliance.Azure.Tests.Collectors.Fakes;

namespace Compliance.Azure.Tests.Collectors;

/// <summary>Small tenants for the collector tests: three subscriptions, a SQL server, a directory.</summary>
internal static class TestTenants
{
    public const string Prod = "00000000-0000-0000-0000-000000000001";
    public const string Dev = "00000000-0000-0000-0000-000000000002";
    public const string Test = "00000000-0000-0000-0000-000000000003";
    public const string TenantId = "11111111-1111-1111-1111-111111111111";

    public static string StorageAccountId(string sub, string name) => $"/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/{name}";

    public static string SqlServer(string sub) => $"/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-{sub[^1]}";

    /// <summary>Each subscription has <paramref name="storagePerSubscription"/> storage accounts (half on TLS 1.0) and a SQL server with a database.</summary>
    public static FakeTenant Contoso(int storagePerSubscription = 3)
    {
        var tenant = new FakeTenant { TenantId = TenantId, DisplayName = "Contoso" };
        foreach (var (sub, name) in new[] { (Prod, "Prod"), (Dev, "Dev"), (Test, "Test") })
        {
            tenant.AddSubscription(sub, name);
            for (var i = 0; i < storagePerSubscription; i++)
            {
                tenant.AddRow(new JsonObject
                {
                    ["id"] = StorageAccountId(sub, $"st{name.ToLowerInvariant()}{i}"),
                    ["name"] = $"st{name.ToLowerInvariant()}{i}",
                    ["type"] = "Microsoft.Storage/storageAccounts",
                    ["location"] = "westeurope",
                    ["subscriptionId"] = sub,
                    ["tags"] = new JsonObject(),
                    ["properties"] = new JsonObject
                    {
                        ["minimumTlsVersion"] = i % 2 == 0 ? "TLS1_0" : "TLS1_2",
                        ["supportsHttpsTrafficOnly"] = true,
                        ["networkAcls"] = new JsonObject { ["defaultAction"] = "Deny" },
                    },
                });
            }

            var server = SqlServer(sub);
            tenant.AddRow(new JsonObject { ["id"] = server, ["name"] = $"sql-{sub[^1]}", ["type"] = "Microsoft.Sql/servers", ["location"] = "westeurope", ["properties"] = new JsonObject() });
            tenant.AddRow(new JsonObject { ["id"] = server + "/databases/db1", ["name"] = "db1", ["type"] = "Microsoft.Sql/servers/databases", ["properties"] = new JsonObject() });
            tenant.AddChild(server, "firewallRules", FirewallRule(server, "office", "198.51.100.10", "198.51.100.20"));
            tenant.AddChild(server + "/databases/db1", "transparentDataEncryption", new JsonObject
            {
                ["id"] = server + "/databases/db1/transparentDataEncryption/Current",
                ["name"] = "Current",
                ["type"] = "Microsoft.Sql/servers/databases/transparentDataEncryption",
                ["properties"] = new JsonObject { ["state"] = sub == Prod ? "Enabled" : "Disabled" },
            });
        }

        // Prod's server is open to the internet.
        tenant.AddChild(SqlServer(Prod), "firewallRules", FirewallRule(SqlServer(Prod), "everyone", "0.0.0.0", "255.255.255.255"));

        tenant.AddGraph("organization", new JsonObject { ["id"] = TenantId, ["displayName"] = "Contoso", ["tenantType"] = "AAD", ["street"] = "not selected" });
        tenant.AddGraph("conditionalAccessPolicies", FakeTenant.MfaPolicy("p1", "enabledForReportingButNotEnforced"));
        tenant.AddGraph("userRegistrationDetails", new JsonObject { ["id"] = "u1", ["userPrincipalName"] = "admin@contoso.example", ["isAdmin"] = true, ["isMfaRegistered"] = false });
        tenant.AddGraph("userRegistrationDetails", new JsonObject { ["id"] = "u2", ["userPrincipalName"] = "ops@contoso.example", ["isAdmin"] = true, ["isMfaRegistered"] = true });
        tenant.AddGraph("userRegistrationDetails", new JsonObject { ["id"] = "u3", ["userPrincipalName"] = "user@contoso.example", ["isAdmin"] = false, ["isMfaRegistered"] = false });
        return tenant;
    }

    public static JsonObject FirewallRule(string server, string name, string start, string end) => new()
    {
        ["id"] = $"{server}/firewallRules/{name}",
        ["name"] = name,
        ["type"] = "Microsoft.Sql/servers/firewallRules",
        ["properties"] = new JsonObject { ["startIpAddress"] = start, ["endIpAddress"] = end },
    };
}
