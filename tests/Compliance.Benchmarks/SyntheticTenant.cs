using System.Text.Json;
using Compliance.Tests.Shared;

namespace Compliance.Benchmarks;

/// <summary>
/// Writes a synthetic tenant snapshot in a realistic mix: network security groups, storage, SQL with
/// firewall rules and TDE, key vaults, VMs with disks and patch assessments, role assignments, and
/// Entra users with their MFA registration. Deterministic for a given size.
/// </summary>
internal static class SyntheticTenant
{
    private const string Tenant = "00000000-0000-0000-0000-00000000a001";

    // Out of every 100 resources.
    private static readonly (string Kind, int Share)[] Mix =
    [
        ("nsg", 10), ("storage", 12), ("vm", 9), ("disk", 9), ("assessment", 8), ("sqlserver", 3), ("firewallrule", 6),
        ("database", 5), ("tde", 5), ("vault", 4), ("roleassignment", 10), ("user", 9), ("registration", 9),
    ];

    // Role definition ids come from the repository's well-known-ids table, never from a second copy.
    private static readonly string[] Roles =
        [WellKnownIds.AzureRole("Owner"), WellKnownIds.AzureRole("Contributor"), WellKnownIds.AzureRole("Reader"), WellKnownIds.AzureRole("User Access Administrator")];

    public static void Write(string path, int count, int subscriptions = 50)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", 1);
        json.WriteString("tenantId", Tenant);
        json.WriteString("collectedAt", "2026-11-27T02:00:00Z");
        json.WriteStartArray("scopes");
        for (var s = 0; s < subscriptions; s++)
        {
            JsonSerializer.Serialize(json, new { id = Sub(s), status = "ok" });
        }

        JsonSerializer.Serialize(json, new { id = "/tenants/" + Tenant, status = "ok" });
        json.WriteEndArray();
        json.WriteStartArray("resources");

        var written = 0;
        void Emit(object resource)
        {
            JsonSerializer.Serialize(json, resource);
            written++;
            if (written % 1000 == 0)
            {
                json.Flush();
            }
        }

        Emit(Organization());
        for (var s = 0; s < subscriptions && written < count; s++)
        {
            Emit(Subscription(s));
        }

        for (var p = 0; p < 6 && written < count; p++)
        {
            Emit(CaPolicy(p));
        }

        // Each kind numbers its own resources, so ids are unique; children point at parents by number
        // (firewall rules and databases at server n/2, TDE at database n, disks and assessments at VM n).
        var cycle = Mix.SelectMany(m => Enumerable.Repeat(m.Kind, m.Share)).ToArray();
        var next = new Dictionary<string, int>();
        for (var i = 0; written < count; i++)
        {
            var kind = cycle[i % cycle.Length];
            var n = next.GetValueOrDefault(kind);
            next[kind] = n + 1;
            var parent = kind is "firewallrule" or "database" or "tde" ? n / 2 : n;
            Emit(Resource(kind, n, parent % subscriptions));
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Sub(int s) => $"/subscriptions/{s:x8}-0000-4000-8000-{s:x12}";

    private static string Rg(int s, int n) => $"{Sub(s)}/resourceGroups/rg-app-{n % 40:00}";

    private static object Resource(string kind, int n, int s) => kind switch
    {
        "nsg" => Nsg(n, s),
        "storage" => Storage(n, s),
        "vm" => Vm(n, s),
        "disk" => Disk(n, s),
        "assessment" => Assessment(n, s),
        "sqlserver" => SqlServer(n, s),
        "firewallrule" => FirewallRule(n, s),
        "database" => Database(n, s),
        "tde" => Tde(n, s),
        "vault" => Vault(n, s),
        "roleassignment" => RoleAssignment(n, s),
        "user" => User(n),
        _ => Registration(n),
    };

    /// <summary>The common Resource Graph columns.</summary>
    private static Dictionary<string, object?> Arm(string id, string type, string name, int s, object properties) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["type"] = type,
        ["tenantId"] = Tenant,
        ["kind"] = string.Empty,
        ["location"] = "westeurope",
        ["resourceGroup"] = "rg",
        ["subscriptionId"] = Sub(s)[15..],
        ["managedBy"] = string.Empty,
        ["sku"] = null,
        ["plan"] = null,
        ["tags"] = new { env = s % 3 == 0 ? "prod" : "dev", owner = $"team-{s % 7}", costCenter = $"CC-{4000 + s}" },
        ["identity"] = null,
        ["zones"] = null,
        ["properties"] = properties,
    };

    private static object Nsg(int n, int s)
    {
        var id = $"{Rg(s, n)}/providers/Microsoft.Network/networkSecurityGroups/nsg-{n}";
        var open = n % 9 == 0;
        string[] ports = ["443", "80-81", "22", "1433", open ? "3389" : "8080", "*"];
        var rules = Enumerable.Range(0, 6).Select(r => new
        {
            name = $"rule-{r}",
            id = $"{id}/securityRules/rule-{r}",
            etag = $"W/\"{n:x8}\"",
            type = "Microsoft.Network/networkSecurityGroups/securityRules",
            properties = new
            {
                provisioningState = "Succeeded",
                protocol = "Tcp",
                sourcePortRange = "*",
                destinationPortRange = ports[r],
                sourceAddressPrefix = r == 4 && open ? "*" : r == 5 ? "VirtualNetwork" : "10.0.0.0/8",
                destinationAddressPrefix = "*",
                access = r == 5 ? "Deny" : "Allow",
                priority = 100 + (r * 10),
                direction = "Inbound",
                sourcePortRanges = Array.Empty<string>(),
                destinationPortRanges = Array.Empty<string>(),
                sourceAddressPrefixes = Array.Empty<string>(),
                destinationAddressPrefixes = Array.Empty<string>(),
            },
        }).ToArray();
        return Arm(id, "microsoft.network/networksecuritygroups", $"nsg-{n}", s, new
        {
            provisioningState = "Succeeded",
            resourceGuid = $"{n:x8}-1111-2222-3333-444444444444",
            securityRules = rules,
            defaultSecurityRules = Array.Empty<object>(),
        });
    }

    private static object Storage(int n, int s)
    {
        var weak = n % 5 == 0;
        var name = $"st{n:x6}";
        return Arm($"{Rg(s, n)}/providers/Microsoft.Storage/storageAccounts/{name}", "microsoft.storage/storageaccounts", name, s, new
        {
            provisioningState = "Succeeded",
            creationTime = "2025-03-14T09:21:44.1234567Z",
            primaryEndpoints = new { blob = $"https://{name}.blob.core.windows.net/", file = $"https://{name}.file.core.windows.net/" },
            minimumTlsVersion = weak ? "TLS1_0" : "TLS1_2",
            supportsHttpsTrafficOnly = !weak,
            allowBlobPublicAccess = weak,
            allowSharedKeyAccess = false,
            publicNetworkAccess = weak ? "Enabled" : "Disabled",
            networkAcls = new { bypass = "AzureServices", virtualNetworkRules = Array.Empty<object>(), ipRules = Array.Empty<object>(), defaultAction = weak ? "Allow" : "Deny" },
            encryption = new
            {
                requireInfrastructureEncryption = n % 2 == 0,
                keySource = "Microsoft.Storage",
                services = new { blob = new { enabled = true, keyType = "Account" }, file = new { enabled = true, keyType = "Account" } },
            },
            accessTier = "Hot",
        });
    }

    private static string VmId(int n, int s) => $"{Rg(s, n)}/providers/Microsoft.Compute/virtualMachines/vm-{n}";

    private static object Vm(int n, int s)
    {
        var windows = n % 2 == 0;
        var patch = new { patchMode = windows ? "AutomaticByPlatform" : "ImageDefault", assessmentMode = windows ? "AutomaticByPlatform" : "ImageDefault" };
        object osProfile = windows
            ? new { computerName = $"vm-{n}", adminUsername = "azureuser", windowsConfiguration = new { provisionVMAgent = true, enableAutomaticUpdates = true, patchSettings = patch }, secrets = Array.Empty<object>() }
            : new { computerName = $"vm-{n}", adminUsername = "azureuser", linuxConfiguration = new { disablePasswordAuthentication = true, provisionVMAgent = true, patchSettings = patch }, secrets = Array.Empty<object>() };
        return Arm(VmId(n, s), "microsoft.compute/virtualmachines", $"vm-{n}", s, new
        {
            vmId = $"{n:x8}-aaaa-bbbb-cccc-dddddddddddd",
            hardwareProfile = new { vmSize = "Standard_D4s_v5" },
            storageProfile = new
            {
                imageReference = new
                {
                    publisher = windows ? "MicrosoftWindowsServer" : "Canonical",
                    offer = windows ? "WindowsServer" : "0001-com-ubuntu-server-jammy",
                    sku = windows ? "2022-datacenter-azure-edition" : "22_04-lts-gen2",
                    version = "latest",
                },
                osDisk = new { osType = windows ? "Windows" : "Linux", name = $"vm-{n}_OsDisk", createOption = "FromImage", managedDisk = new { storageAccountType = "Premium_LRS", id = $"{Rg(s, n)}/providers/Microsoft.Compute/disks/vm-{n}_OsDisk" }, diskSizeGB = 128 },
                dataDisks = Array.Empty<object>(),
            },
            osProfile,
            networkProfile = new { networkInterfaces = new[] { new { id = $"{Rg(s, n)}/providers/Microsoft.Network/networkInterfaces/vm-{n}-nic" } } },
            securityProfile = new { encryptionAtHost = n % 4 != 0, securityType = "TrustedLaunch" },
            provisioningState = "Succeeded",
        });
    }

    private static object Disk(int n, int s) =>
        Arm($"{Rg(s, n)}/providers/Microsoft.Compute/disks/vm-{n}_OsDisk", "microsoft.compute/disks", $"vm-{n}_OsDisk", s, new
        {
            osType = "Linux",
            creationData = new { createOption = "FromImage" },
            diskSizeGB = 128,
            encryption = new { type = "EncryptionAtRestWithPlatformKey" },
            networkAccessPolicy = n % 10 == 0 ? "AllowAll" : "DenyAll",
            publicNetworkAccess = "Disabled",
            timeCreated = "2025-06-01T08:00:00.0000000+00:00",
            provisioningState = "Succeeded",
            diskState = "Attached",
        });

    private static object Assessment(int n, int s)
    {
        var day = 27 - (n % 12);
        return Arm($"{VmId(n, s)}/patchAssessmentResults/latest", "microsoft.compute/virtualmachines/patchassessmentresults", $"{n:x8}-0000-0000-0000-000000000000", s, new
        {
            rebootPending = n % 11 == 0,
            patchServiceUsed = "APT",
            osType = "Linux",
            startedBy = "Platform",
            status = "Succeeded",
            lastModifiedDateTime = $"2026-11-{day:00}T03:00:00Z",
            startDateTime = $"2026-11-{day:00}T02:59:00Z",
            availablePatchCountByClassification = new { security = n % 7, critical = n % 13 == 0 ? 1 : 0, definition = 0, updateRollup = 0, featurePack = 0, servicePack = 0, tools = 0, updates = n % 5, other = 0 },
        });
    }

    private static string SqlId(int n, int s) => $"{Rg(s, n)}/providers/Microsoft.Sql/servers/sql-{n}";

    private static object SqlServer(int n, int s) =>
        Arm(SqlId(n, s), "microsoft.sql/servers", $"sql-{n}", s, new
        {
            administratorLogin = "sqladmin",
            version = "12.0",
            state = "Ready",
            fullyQualifiedDomainName = $"sql-{n}.database.windows.net",
            minimalTlsVersion = n % 6 == 0 ? "1.0" : "1.2",
            publicNetworkAccess = n % 4 == 0 ? "Enabled" : "Disabled",
            administrators = new { administratorType = "ActiveDirectory", login = "sql-admins", sid = $"{n:x8}-0000-0000-0000-000000000000", azureADOnlyAuthentication = true },
        });

    private static object FirewallRule(int n, int s)
    {
        var open = n % 17 == 0;
        return new
        {
            id = $"{SqlId(n / 2, s)}/firewallRules/rule-{n}",
            name = $"rule-{n}",
            type = "Microsoft.Sql/servers/firewallRules",
            properties = new { startIpAddress = open ? "0.0.0.0" : "198.51.100.10", endIpAddress = open ? "255.255.255.255" : "198.51.100.20" },
        };
    }

    private static object Database(int n, int s) => new
    {
        id = $"{SqlId(n / 2, s)}/databases/db-{n}",
        name = $"db-{n}",
        type = "Microsoft.Sql/servers/databases",
        location = "westeurope",
        kind = "v12.0,user",
        sku = new { name = "GP_Gen5", tier = "GeneralPurpose", capacity = 2 },
        tags = new { },
        properties = new { collation = "SQL_Latin1_General_CP1_CI_AS", status = "Online", databaseId = $"{n:x8}-0000-0000-0000-000000000000", creationDate = "2025-05-02T10:11:12.000Z", zoneRedundant = false },
    };

    private static object Tde(int n, int s) => new
    {
        id = $"{SqlId(n / 2, s)}/databases/db-{n}/transparentDataEncryption/current",
        name = "current",
        type = "Microsoft.Sql/servers/databases/transparentDataEncryption",
        properties = new { state = n % 9 == 0 ? "Disabled" : "Enabled" },
    };

    private static object Vault(int n, int s) =>
        Arm($"{Rg(s, n)}/providers/Microsoft.KeyVault/vaults/kv-{n}", "microsoft.keyvault/vaults", $"kv-{n}", s, new
        {
            tenantId = Tenant,
            sku = new { family = "A", name = "standard" },
            accessPolicies = Array.Empty<object>(),
            enableSoftDelete = true,
            softDeleteRetentionInDays = 90,
            enablePurgeProtection = n % 3 != 0,
            enableRbacAuthorization = true,
            vaultUri = $"https://kv-{n}.vault.azure.net/",
            provisioningState = "Succeeded",
            publicNetworkAccess = "Disabled",
            networkAcls = new { bypass = "AzureServices", defaultAction = "Deny", ipRules = Array.Empty<object>(), virtualNetworkRules = Array.Empty<object>() },
        });

    private static object RoleAssignment(int n, int s)
    {
        var scope = n % 3 == 0 ? Sub(s) : Rg(s, n);
        var name = $"{n:x8}-ra00-0000-0000-000000000000";
        return new
        {
            id = $"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
            name,
            type = "microsoft.authorization/roleassignments",
            tenantId = Tenant,
            properties = new
            {
                roleDefinitionId = $"{Sub(s)}/providers/Microsoft.Authorization/roleDefinitions/{Roles[n % Roles.Length]}",
                principalId = $"{n % 1000:x8}-us00-0000-0000-000000000000",
                principalType = n % 5 == 0 ? "ServicePrincipal" : "User",
                scope,
                createdOn = "2025-06-01T10:00:00.0000000Z",
                updatedOn = "2025-06-01T10:00:00.0000000Z",
            },
        };
    }

    private static object User(int n) => new
    {
        id = $"{n:x8}-us00-0000-0000-000000000000",
        type = "microsoft.graph/users",
        displayName = $"User {n}",
        userPrincipalName = $"user{n}@contoso.example",
        userType = n % 10 == 0 ? "Guest" : "Member",
        accountEnabled = true,
        createdDateTime = "2024-01-15T09:00:00Z",
        mail = $"user{n}@contoso.example",
        signInActivity = new { lastSignInDateTime = $"2026-{(n % 11) + 1:00}-10T08:00:00Z", lastNonInteractiveSignInDateTime = "2026-11-01T08:00:00Z" },
    };

    private static object Registration(int n) => new
    {
        id = $"{n:x8}-us00-0000-0000-000000000000",
        type = "microsoft.graph/userRegistrationDetails",
        userPrincipalName = $"user{n}@contoso.example",
        userDisplayName = $"User {n}",
        userType = "member",
        isAdmin = n % 50 == 0,
        isSsprRegistered = true,
        isMfaRegistered = n % 8 != 0,
        isMfaCapable = true,
        isPasswordlessCapable = false,
        methodsRegistered = new[] { "microsoftAuthenticatorPush", "softwareOneTimePasscode" },
        lastUpdatedDateTime = "2026-11-26T23:10:00Z",
    };

    private static object Organization() => new
    {
        id = Tenant,
        type = "microsoft.graph/organization",
        displayName = "Contoso Synthetic",
        tenantType = "AAD",
        verifiedDomains = new[] { new { name = "contoso.example", isDefault = true, type = "Managed" } },
    };

    private static object Subscription(int s) => new
    {
        id = Sub(s),
        name = $"Subscription {s}",
        type = "microsoft.resources/subscriptions",
        tenantId = Tenant,
        subscriptionId = Sub(s)[15..],
        properties = new { state = "Enabled", subscriptionPolicies = new { quotaId = "EnterpriseAgreement_2014-09-01", spendingLimit = "Off" } },
    };

    private static object CaPolicy(int p) => new
    {
        id = $"{p:x8}-ca00-0000-0000-000000000000",
        type = "microsoft.graph/conditionalAccessPolicies",
        displayName = $"Policy {p}",
        state = p % 2 == 0 ? "enabled" : "enabledForReportingButNotEnforced",
        conditions = new { users = new { includeUsers = new[] { "All" } }, applications = new { includeApplications = new[] { "All" } }, clientAppTypes = new[] { "all" } },
        grantControls = new { @operator = "OR", builtInControls = new[] { p % 3 == 0 ? "block" : "mfa" } },
    };
}
