using Compliance.Azure.Collectors;
using Compliance.Azure.Collectors.Identity;
using Compliance.Azure.Tests.Identity;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.Store;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>A run never records a tenant its identity could not sign in to.</summary>
public sealed class CrossTenantRunTests
{
    [Fact]
    public async Task A_scheduled_scan_whose_identity_signs_in_to_another_tenant_records_no_run_and_says_why()
    {
        const string home = "a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b";
        var credential = new TenantCheckedCredential(new TestTokens.Credential(home), TenantId);
        await using var host = await FunctionsHarness.StartAsync(Contoso(), s => s["Scan:Subscriptions:0"] = Prod, credential: credential);

        var ex = await Assert.ThrowsAsync<CollectorConfigurationException>(() => host.FireTimerAsync());

        Assert.Contains($"signed in to tenant {home}, not to the tenant to scan, {TenantId}", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await host.Store.ListRunsAsync(new RunQuery { Limit = 10 }));
    }

    [Fact]
    public async Task An_identity_signed_in_to_the_scanned_tenant_starts_the_run()
    {
        var credential = new TenantCheckedCredential(new TestTokens.Credential(TenantId), TenantId);
        await using var host = await FunctionsHarness.StartAsync(Contoso(), s => s["Scan:Subscriptions:0"] = Prod, credential: credential);

        var run = await host.FireTimerAsync();

        Assert.Equal(TenantId, run.TenantId);
    }
}
