using Compliance.Core.Findings;
using static Compliance.Core.Tests.GroundTruth.CorpusScan;

namespace Compliance.Core.Tests.GroundTruth;

/// <summary>
/// The wrong verdicts of issue 9, each on Microsoft's own example response (or on that example with
/// one property changed, as tests/Corpus/scenarios.json says): every test here failed before the fix.
/// </summary>
public sealed class RealShapeDefectTests
{
    private const string RedisGet = "arm/Microsoft.Cache.redis/RedisCacheGet.json";
    private const string VmGet = "arm/Microsoft.Compute.virtualMachines/VirtualMachine_Get.json";
    private const string AksGet = "arm/Microsoft.ContainerService.managedClusters/ManagedClustersGet.json";
    private const string SqlCreate = "arm/Microsoft.Sql.servers/ServerCreate.json";

    [Fact]
    public async Task Owner_assignments_count_with_Owners_real_role_id()
    {
        // With the 443d typo no assignment matched: one or two Owners both failed "at least 2".
        Assert.Equal(Outcome.Fail, await OutcomeAsync("subscription: one Owner", "AZ-ACC-002", "a925f2f7-5c63-4b7b-8799-25a5f97bc3b2"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("subscription: two Owners", "AZ-ACC-002", "a925f2f7-5c63-4b7b-8799-25a5f97bc3b2"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("role assignment: service principal holds Owner", "AZ-ACC-004", "b0f43c54-e787-4862-89b1-a653fa9cf747"));
    }

    [Fact]
    public async Task An_empty_destinationPortRange_is_not_set_and_the_port_list_beside_it_is_read()
    {
        var empty = await ScanAsync(Scenario("nsg: empty destinationPortRange"));
        Assert.DoesNotContain(empty, f => f.Outcome == Outcome.Error);
        Assert.Equal(Outcome.Pass, empty.Single(f => f.RuleId == "AZ-FW-001").Outcome);

        Assert.Equal(Outcome.Fail, await OutcomeAsync("nsg: port list beside an empty destinationPortRange", "AZ-FW-001", "testnsg"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("nsg: port list beside an empty destinationPortRange", "AZ-FW-002", "testnsg"));
    }

    [Fact]
    public async Task A_Redis_cache_that_does_not_state_a_minimum_TLS_version_runs_TLS_1_2()
    {
        Assert.Equal(Outcome.Pass, await OutcomeAsync(RedisGet, "AZ-ENC-051", "cache1"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("redis: minimum TLS 1.0", "AZ-ENC-051", "cache1"));
    }

    [Fact]
    public async Task A_Windows_VM_with_automatic_updates_and_no_patch_settings_is_patched_by_the_OS()
    {
        Assert.Equal(Outcome.Pass, await OutcomeAsync("vm: Windows with automatic updates and no patchSettings", "AZ-PAT-011", "myVM"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync(VmGet, "AZ-PAT-011", "myVM"));
    }

    [Fact]
    public async Task Kubernetes_1_9_6_is_past_end_of_life()
    {
        Assert.Equal(Outcome.Fail, await OutcomeAsync(AksGet, "AZ-PAT-032", "clustername1"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("aks: supported version", "AZ-PAT-032", "clustername1"));
    }

    [Fact]
    public async Task Microsofts_SQL_server_example_with_an_Entra_administrator_passes()
    {
        Assert.Equal(Outcome.Pass, await OutcomeAsync(SqlCreate, "AZ-ACC-071", "sqlcrudtest-4645"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("sql: Entra administrator as a child resource", "AZ-ACC-071", "sqlcrudtest-4645"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("sql: Entra administrator without a sid", "AZ-ACC-071", "sqlcrudtest-4645"));
    }

    [Fact]
    public async Task Defaults_decide_what_an_absent_property_means()
    {
        // Azure defaults these safely: absent passes.
        Assert.Equal(Outcome.Pass, await OutcomeAsync("arm/Microsoft.KeyVault.vaults/getVault.json", "AZ-ENC-020", "sample-vault"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("cosmos: TLS minimum not stated", "AZ-ENC-052", "ddb1"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync(AksGet, "AZ-PAT-031", "clustername1"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("storage: secure transfer not stated", "AZ-ENC-002", "sto8596"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("flow log: no retention policy", "AZ-FW-061", "flowLog1"));

        // Azure defaults these unsafely: absent fails.
        Assert.Equal(Outcome.Fail, await OutcomeAsync("arm/Microsoft.Storage.storageAccounts/StorageAccountGetProperties.json", "AZ-ENC-001", "sto8596"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync(AksGet, "AZ-PAT-030", "clustername1"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("arm/Microsoft.KeyVault.vaults/getVault.json", "AZ-ACC-070", "sample-vault"));

        // Absent because it was not collected: never a pass.
        Assert.Equal(Outcome.Fail, await OutcomeAsync("resource-graph/resources/ResourcesBasicQuery.json", "AZ-FW-060", "myVnet"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("graph/servicePrincipals/serviceprincipal-get-select.json", "AZ-ACC-060", "7408235b-7540-4850-82fe-a5f15ed019e2"));
    }
}
