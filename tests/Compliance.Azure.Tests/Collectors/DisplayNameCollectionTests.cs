using System.Text.Json.Nodes;
using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;

namespace Compliance.Azure.Tests.Collectors;

/// <summary>
/// The names of what role assignments refer to by id, read before the collection writes anything and
/// written as the snapshot's displayNames: Azure role definitions from ARM's list, directory roles and
/// principals from Graph. A name that cannot be read is a warning; the scopes stay ok.
/// </summary>
public sealed class DisplayNameCollectionTests
{
    private const string Sub = "0b1f6c2e-8d4a-4f7b-9c1e-2a5d7e9f0b13";
    private const string Guest = "3e9bc574-cf3a-2f9c-fe2c-891ca9e4afb0";
    private const string Pipeline = "0786c477-e0ed-d908-cf9b-f97d68ea061a";
    private const string Admin = "b03f69c6-6620-1f83-f710-5cc2750b5906";
    private static readonly string Owner = WellKnownIds.AzureRole("Owner");
    private static readonly string Uaa = WellKnownIds.AzureRole("User Access Administrator");
    private static readonly string GlobalAdmin = WellKnownIds.EntraRole("Global Administrator");

    private static FakeTenant Tenant()
    {
        var tenant = new FakeTenant().AddSubscription(Sub, "Prod");
        foreach (var (key, principal, role) in new[] { ("a1", Guest, Uaa), ("a2", Pipeline, Owner) })
        {
            tenant.AddRow(new JsonObject
            {
                ["id"] = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments/{key}",
                ["name"] = key,
                ["type"] = "microsoft.authorization/roleassignments",
                ["subscriptionId"] = Sub,
                ["properties"] = new JsonObject
                {
                    ["roleDefinitionId"] = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/{role}",
                    ["principalId"] = principal,
                    ["principalType"] = principal == Guest ? "User" : "ServicePrincipal",
                    ["scope"] = $"/subscriptions/{Sub}",
                },
            });
        }

        tenant.AddGraph("organization", new JsonObject { ["id"] = tenant.TenantId, ["displayName"] = tenant.DisplayName });
        tenant.AddGraph("users", new JsonObject { ["id"] = Guest, ["displayName"] = "Lee (Old Vendor)", ["userPrincipalName"] = "lee_oldvendor.example#EXT#@contoso.onmicrosoft.com", ["mail"] = "lee@oldvendor.example", ["userType"] = "Guest" });
        tenant.AddGraph("users", new JsonObject { ["id"] = Admin, ["displayName"] = "Anna", ["userPrincipalName"] = "anna@contoso.example", ["userType"] = "Member" });
        tenant.AddGraph("servicePrincipals", new JsonObject { ["id"] = Pipeline, ["appId"] = "a1", ["displayName"] = "deploy-pipeline" });
        tenant.AddGraph("roleDefinitions", new JsonObject { ["id"] = GlobalAdmin, ["templateId"] = GlobalAdmin, ["displayName"] = "Global Administrator", ["isBuiltIn"] = true });
        tenant.AddGraph("roleAssignments", new JsonObject { ["id"] = "dra1", ["principalId"] = Admin, ["roleDefinitionId"] = GlobalAdmin, ["directoryScopeId"] = "/" });
        return tenant;
    }

    /// <summary>
    /// ARM's role definition list, items in the shape of Azure/azure-rest-api-specs
    /// specification/authorization/resource-manager/Microsoft.Authorization/2015-07-01/examples/GetRoleDefinitionAtScope.json
    /// (commit 6c3a2066eedb93b82ae60f5cb91438003b65556c): name = the GUID, properties.roleName.
    /// </summary>
    private static string RoleDefinitionList(params (string Guid, string Name)[] roles) => new JsonObject
    {
        ["value"] = new JsonArray([.. roles.Select(r => (JsonNode)new JsonObject
        {
            ["properties"] = new JsonObject { ["roleName"] = r.Name, ["type"] = "BuiltInRole", ["description"] = r.Name, ["assignableScopes"] = new JsonArray("/"), ["permissions"] = new JsonArray() },
            ["id"] = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/{r.Guid}",
            ["type"] = "Microsoft.Authorization/roleDefinitions",
            ["name"] = r.Guid,
        })]),
    }.ToJsonString();

    /// <summary>
    /// ARM's role assignment list of the subscription, in the shape of Azure/azure-rest-api-specs
    /// specification/authorization/resource-manager/Microsoft.Authorization/2015-07-01/examples/GetRoleAssignmentByScope.json
    /// (commit 6c3a2066eedb93b82ae60f5cb91438003b65556c): { value: [ { properties: { roleDefinitionId, principalId, principalType, scope }, id, type, name } ] }.
    /// </summary>
    private static string RoleAssignmentList() => new JsonObject
    {
        ["value"] = new JsonArray([.. new[] { ("a1", Guest, Uaa, "User"), ("a2", Pipeline, Owner, "ServicePrincipal") }.Select(a => (JsonNode)new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/{a.Item3}",
                ["principalId"] = a.Item2,
                ["principalType"] = a.Item4,
                ["scope"] = $"/subscriptions/{Sub}",
            },
            ["id"] = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments/{a.Item1}",
            ["type"] = "Microsoft.Authorization/roleAssignments",
            ["name"] = a.Item1,
        })]),
    }.ToJsonString();

    private static CollectionRequest Request() => new()
    {
        Subscriptions = [Sub],
        ResourceTypes = ["Microsoft.Authorization/roleAssignments", "microsoft.graph/roleAssignments"],
    };

    [Fact]
    public async Task Principals_and_roles_of_role_assignments_are_named_in_the_snapshot_before_the_resources()
    {
        await using var harness = await CollectorHarness.StartAsync(Tenant());
        harness.Fake.ArmBodies[$"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions"] = RoleDefinitionList((Owner, "Owner"), (Uaa, "User Access Administrator"));
        harness.Fake.ArmBodies[$"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments"] = RoleAssignmentList();
        var resourceGraphQueries = await ResourceGraphQueriesWithoutNamesAsync();

        var collected = await harness.CollectAsync(Request());

        Assert.True(collected.Result.IsComplete, string.Join("; ", collected.Result.Warnings));

        // Naming spends no Resource Graph quota: the same queries as a collection that needs no names.
        Assert.Equal(resourceGraphQueries, harness.Fake.ResourceGraphRequests);
        Assert.Empty(collected.Result.Warnings);
        var names = collected.Header.DisplayNames;
        Assert.Equal("lee@oldvendor.example", names[Guest]);
        Assert.Equal("deploy-pipeline", names[Pipeline]);
        Assert.Equal("anna@contoso.example", names[Admin]);
        Assert.Equal("User Access Administrator", names[Uaa]);
        Assert.Equal("Owner", names[Owner]);
        Assert.Equal("Global Administrator", names[GlobalAdmin]);

        // The role assignments themselves keep Azure's shape and ids.
        Assert.Contains(Guest, collected.Json($"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments/a1").GetRawText(), StringComparison.Ordinal);
        var text = System.Text.Encoding.UTF8.GetString(collected.Bytes);
        Assert.True(text.IndexOf("\"displayNames\"", StringComparison.Ordinal) < text.IndexOf("\"resources\"", StringComparison.Ordinal));
        var getByIds = Assert.Single(harness.Fake.Requests, r => r.Path == "/v1.0/directoryObjects/getByIds");
        Assert.Equal("POST", getByIds.Method);
        Assert.Contains("servicePrincipal", getByIds.Body, StringComparison.Ordinal);
        Assert.Contains(harness.Fake.Requests, r => r.IsArm && r.Path.EndsWith("/roleDefinitions", StringComparison.Ordinal) && r.Query.Contains("api-version=2022-04-01", StringComparison.Ordinal));
        Assert.Contains(harness.Fake.Requests, r => r.IsArm && r.Path.EndsWith("/roleAssignments", StringComparison.Ordinal) && r.Query.Contains("api-version=2022-04-01", StringComparison.Ordinal));
    }

    /// <summary>The Resource Graph queries of the same collection when the ARM lists name nothing (no role assignments listed).</summary>
    private static async Task<long> ResourceGraphQueriesWithoutNamesAsync()
    {
        await using var harness = await CollectorHarness.StartAsync(Tenant());
        await harness.CollectAsync(Request());
        return harness.Fake.ResourceGraphRequests;
    }

    [Fact]
    public async Task Names_that_cannot_be_read_are_warnings_and_the_collection_stays_complete()
    {
        await using var harness = await CollectorHarness.StartAsync(Tenant());
        harness.Fake.ArmBodies[$"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments"] = RoleAssignmentList();
        harness.Fake.AddFault(new FakeFault(r => r.Path == "/v1.0/directoryObjects/getByIds", times: int.MaxValue)
        {
            Status = 403,
            ErrorCode = "Authorization_RequestDenied",
            ErrorMessage = "Insufficient privileges to complete the operation.",
        });

        var collected = await harness.CollectAsync(Request());

        Assert.True(collected.Result.IsComplete);
        Assert.All(collected.Header.Scopes, s => Assert.Equal("ok", s.Status));
        Assert.Contains(collected.Result.Warnings, w => w.Contains("Directory.Read.All", StringComparison.Ordinal));
        Assert.Contains(collected.Result.Warnings, w => w.Contains("role names were not read", StringComparison.Ordinal));
        Assert.False(collected.Header.DisplayNames.ContainsKey(Guest));
        Assert.Equal("Global Administrator", collected.Header.DisplayNames[GlobalAdmin]);
    }
}
