using System.Text.Json.Nodes;
using Azure.Core;
using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Azure.Tests.Collectors;

public sealed class ArmAndGraphCollectionTests
{
    private static readonly string EntraScope = "/tenants/" + TenantId;

    [Fact]
    public async Task Child_resources_Resource_Graph_does_not_index_are_read_from_ARM_one_list_per_parent()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());
        harness.Fake.ArmPageSize = 1;

        var collected = await harness.CollectAsync(new CollectionRequest
        {
            IncludeEntra = false,
            ResourceTypes = ["Microsoft.Sql/servers/firewallRules", "Microsoft.Sql/servers/databases/transparentDataEncryption"],
        });

        Assert.True(collected.Result.IsComplete);

        // The parents come from Resource Graph (and are written too), the children from ARM.
        Assert.Equal(3, collected.IdsOfType("microsoft.sql/servers").Count());
        Assert.Equal(3, collected.IdsOfType("microsoft.sql/servers/databases").Count());
        Assert.Equal(4, collected.IdsOfType("Microsoft.Sql/servers/firewallRules").Count());
        Assert.Equal(3, collected.IdsOfType("Microsoft.Sql/servers/databases/transparentDataEncryption").Count());
        Assert.Contains(SqlServer(Prod) + "/firewallRules/everyone", collected.IdsOfType("Microsoft.Sql/servers/firewallRules"));

        // One list per parent, plus one page more for Prod's two rules at one rule a page (nextLink).
        var armLists = harness.Fake.Requests.Where(r => r.IsArm && r.Path != "/subscriptions").ToList();
        Assert.Equal(3 + 1 + 3, armLists.Count);
        Assert.All(armLists, r => Assert.Contains("api-version=2021-11-01", r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_child_list_that_fails_marks_its_subscription_as_error()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());
        harness.Fake.AddFault(new FakeFault(r => r.IsArm && r.Path.StartsWith(SqlServer(Test) + "/firewallRules", StringComparison.Ordinal), times: int.MaxValue)
        {
            Status = 403,
            ErrorCode = "AuthorizationFailed",
            ErrorMessage = "The client does not have authorization to perform action 'Microsoft.Sql/servers/firewallRules/read'.",
        });

        var collected = await harness.CollectAsync(new CollectionRequest { IncludeEntra = false, ResourceTypes = ["Microsoft.Sql/servers/firewallRules"] });

        var test = collected.Scope("/subscriptions/" + Test);
        Assert.Equal("error", test.Status);
        Assert.StartsWith("403 on subscription 'Test'", test.Error, StringComparison.Ordinal);
        Assert.Contains("Microsoft.Sql/servers/firewallRules of 'sql-3'", test.Error, StringComparison.Ordinal);
        Assert.Equal("ok", collected.Scope("/subscriptions/" + Prod).Status);
    }

    [Fact]
    public async Task Directory_collections_are_read_through_Graph_pages_with_the_type_of_their_collection()
    {
        var tenant = Contoso();
        for (var i = 0; i < 5; i++)
        {
            tenant.AddGraph("users", new JsonObject { ["id"] = $"g{i}", ["displayName"] = $"Guest {i}", ["userType"] = "Guest", ["signInActivity"] = new JsonObject { ["lastSignInDateTime"] = "2026-01-01T00:00:00Z" }, ["mobilePhone"] = "+1 555 0100" });
        }

        tenant.AddGraph("users", new JsonObject { ["id"] = "m1", ["displayName"] = "Member", ["userType"] = "Member" });
        await using var harness = await CollectorHarness.StartAsync(tenant);
        harness.Fake.GraphDefaultPageSize = 2;

        var collected = await harness.CollectAsync(new CollectionRequest
        {
            Subscriptions = [],
            ResourceTypes = ["microsoft.graph/users", "microsoft.graph/userRegistrationDetails", "microsoft.graph/conditionalAccessPolicies"],
        });

        Assert.True(collected.Result.IsComplete);
        var scope = Assert.Single(collected.Header.Scopes);
        Assert.Equal(EntraScope, scope.Id);
        Assert.Equal("Contoso", scope.DisplayName);
        Assert.Equal([TenantId], collected.IdsOfType("microsoft.graph/organization"));
        Assert.Equal(3, collected.IdsOfType("microsoft.graph/userRegistrationDetails").Count());
        Assert.Single(collected.IdsOfType("microsoft.graph/conditionalAccessPolicies"));

        // Guests only (the default filter), with their sign-in activity, and only the selected fields.
        Assert.Equal(["g0", "g1", "g2", "g3", "g4"], collected.IdsOfType("microsoft.graph/users").Order());
        var guest = collected.Json("g3");
        Assert.Equal("2026-01-01T00:00:00+00:00", guest.GetProperty("signInActivity").GetProperty("lastSignInDateTime").GetString());
        Assert.False(guest.TryGetProperty("mobilePhone", out _));
        var policy = collected.Json("p1");
        Assert.Equal("mfa", policy.GetProperty("grantControls").GetProperty("builtInControls")[0].GetString());

        // Registration details came 2 a page: 2 requests; no subscription was read.
        Assert.Equal(2, harness.Fake.Requests.Count(r => r.Path.EndsWith("userRegistrationDetails", StringComparison.Ordinal)));
        Assert.DoesNotContain(harness.Fake.Requests, r => !r.IsGraph);
        Assert.All(harness.Fake.Requests, r => Assert.Equal("graph.microsoft.com", r.Host));
        Assert.Equal(["https://graph.microsoft.com/.default"], harness.Credential.Scopes.Distinct());
    }

    [Fact]
    public async Task A_Graph_403_for_one_collection_names_the_permission_and_the_others_are_still_read()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());
        harness.Fake.AddFault(new FakeFault(r => r.Path.EndsWith("/conditionalAccess/policies", StringComparison.Ordinal), times: int.MaxValue)
        {
            Status = 403,
            ErrorCode = "Authorization_RequestDenied",
            ErrorMessage = "Insufficient privileges to complete the operation.",
        });

        var collected = await harness.CollectAsync(new CollectionRequest
        {
            Subscriptions = [],
            ResourceTypes = ["microsoft.graph/organization", "microsoft.graph/conditionalAccessPolicies", "microsoft.graph/userRegistrationDetails"],
        });

        var scope = collected.Scope(EntraScope);
        Assert.Equal("error", scope.Status);
        Assert.StartsWith("Graph 403 reading conditionalAccessPolicies: grant application permission Policy.Read.All", scope.Error, StringComparison.Ordinal);
        Assert.Equal(3, collected.IdsOfType("microsoft.graph/userRegistrationDetails").Count());
        Assert.Empty(collected.IdsOfType("microsoft.graph/conditionalAccessPolicies"));
    }

    [Fact]
    public async Task A_Graph_429_is_waited_out_then_the_collection_is_read()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());
        var fault = harness.Fake.AddFault(new FakeFault(r => r.Path.EndsWith("userRegistrationDetails", StringComparison.Ordinal))
        {
            Status = 429,
            ErrorCode = "TooManyRequests",
            Headers = { ["Retry-After"] = "3" },
        });

        var collected = await harness.CollectAsync(new CollectionRequest { Subscriptions = [], ResourceTypes = ["microsoft.graph/userRegistrationDetails"] });

        Assert.Equal(1, fault.Fired);
        Assert.True(collected.Result.IsComplete);
        Assert.Equal(3, collected.IdsOfType("microsoft.graph/userRegistrationDetails").Count());
        Assert.Contains(TimeSpan.FromSeconds(3), harness.Time.Waits);
    }

    [Fact]
    public async Task A_garbled_Graph_page_makes_the_directory_scope_an_error()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());
        harness.Fake.AddFault(new FakeFault(r => r.Path.EndsWith("userRegistrationDetails", StringComparison.Ordinal), times: int.MaxValue)
        {
            Status = 200,
            Body = "{\"value\": [ {\"id\": \"u1\", ",
        });

        var collected = await harness.CollectAsync(new CollectionRequest { Subscriptions = [], ResourceTypes = ["microsoft.graph/userRegistrationDetails"] });

        var scope = collected.Scope(EntraScope);
        Assert.Equal("error", scope.Status);
        Assert.Contains("reading userRegistrationDetails failed", scope.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Application_credentials_keep_their_metadata_but_never_a_secret()
    {
        var tenant = Contoso();
        tenant.AddGraph("applications", JsonNode.Parse("""
            { "id": "a1", "appId": "app-1", "displayName": "Payroll",
              "passwordCredentials": [ { "keyId": "6f7d3a52-2f44-4a4e-9a43-4f3f1c1b0001", "displayName": "ci", "endDateTime": "2027-01-01T00:00:00Z", "hint": "abc", "secretText": "s3cr3t-value" } ],
              "keyCredentials": [ { "keyId": "6f7d3a52-2f44-4a4e-9a43-4f3f1c1b0002", "type": "AsymmetricX509Cert", "usage": "Verify", "endDateTime": "2027-06-01T00:00:00Z", "key": "TUlJQ2VydEJ5dGVz" } ] }
            """)!.AsObject());
        await using var harness = await CollectorHarness.StartAsync(tenant);

        var collected = await harness.CollectAsync(new CollectionRequest { Subscriptions = [], ResourceTypes = ["microsoft.graph/applications"] });

        Assert.True(collected.Result.IsComplete, string.Join("; ", collected.Header.Scopes.Select(s => s.Error)));
        var text = collected.Resources.Single(r => r.Id == "a1").Json;
        Assert.DoesNotContain("s3cr3t-value", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TUlJQ2VydEJ5dGVz", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"hint\"", text, StringComparison.Ordinal);
        var app = collected.Json("a1");
        Assert.Equal("2027-01-01T00:00:00+00:00", app.GetProperty("passwordCredentials")[0].GetProperty("endDateTime").GetString());
        Assert.Equal("Verify", app.GetProperty("keyCredentials")[0].GetProperty("usage").GetString());
    }

    [Fact]
    public async Task A_Graph_type_no_collection_serves_makes_the_directory_incomplete()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());

        var collected = await harness.CollectAsync(new CollectionRequest { Subscriptions = [], ResourceTypes = ["microsoft.graph/groups"] });

        var scope = collected.Scope(EntraScope);
        Assert.Equal("error", scope.Status);
        Assert.Contains("microsoft.graph/groups, which the collector cannot read", scope.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("usgov", "management.usgovcloudapi.net", "graph.microsoft.us")]
    [InlineData("china", "management.chinacloudapi.cn", "microsoftgraph.chinacloudapi.cn")]
    [InlineData("public", "management.azure.com", "graph.microsoft.com")]
    public async Task Every_endpoint_and_token_scope_follows_the_cloud(string cloud, string armHost, string graphHost)
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso(), s => s.Configure<AzureConnectionOptions>(o => o.Cloud = cloud));

        var collected = await harness.CollectAsync(new CollectionRequest { ResourceTypes = ["Microsoft.Storage/storageAccounts", "microsoft.graph/organization"] });

        Assert.True(collected.Result.IsComplete);
        Assert.All(harness.Fake.Requests.Where(r => !r.IsGraph), r => Assert.Equal(armHost, r.Host));
        Assert.All(harness.Fake.Requests.Where(r => r.IsGraph), r => Assert.Equal(graphHost, r.Host));
        Assert.Equal(new HashSet<string> { "https://" + armHost + "/.default", "https://" + graphHost + "/.default" }, harness.Credential.Scopes.ToHashSet());
    }

    [Fact]
    public async Task No_usable_credential_is_a_configuration_error_that_says_what_to_configure()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso(), credential: new FakeCredential(unavailable: true));

        var error = await Assert.ThrowsAsync<CollectorConfigurationException>(() => harness.CollectAsync(new CollectionRequest { ResourceTypes = ["Microsoft.Storage/storageAccounts"] }));

        Assert.Contains("az login", error.Message, StringComparison.Ordinal);
        Assert.Contains("AZURE_CLIENT_ID", error.Message, StringComparison.Ordinal);
        Assert.Contains("managed identity", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.Requests);
    }

    [Fact]
    public void Invalid_options_are_reported_by_name()
    {
        var services = new ServiceCollection();
        services.AddComplianceAzure(null, AzureParts.Collectors);
        services.AddSingleton<TokenCredential>(new FakeCredential());
        services.Configure<AzureConnectionOptions>(o => o.Cloud = "mars");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<InventoryCollector>());

        Assert.Contains("Collectors:Azure:Cloud must be public, usgov or china", error.Message, StringComparison.Ordinal);
    }
}
