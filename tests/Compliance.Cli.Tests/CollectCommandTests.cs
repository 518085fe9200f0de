using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Core.Snapshots;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Tests;

public sealed class CollectCommandTests : IAsyncLifetime
{
    private const string Prod = "00000000-0000-0000-0000-000000000001";
    private const string Locked = "00000000-0000-0000-0000-000000000002";
    private const string TenantId = "11111111-1111-1111-1111-111111111111";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "compliance-cli-" + Guid.NewGuid().ToString("N"));
    private FakeAzure _fake = null!;

    public async Task InitializeAsync()
    {
        var tenant = new FakeTenant { TenantId = TenantId }
            .AddSubscription(Prod, "Prod")
            .AddSubscription(Locked, "Locked")
            .AddRow(new JsonObject
            {
                ["id"] = $"/subscriptions/{Prod}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1",
                ["name"] = "st1",
                ["type"] = "Microsoft.Storage/storageAccounts",
                ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_0" },
            })
            .AddGraph("organization", new JsonObject { ["id"] = TenantId, ["displayName"] = "Contoso" })
            .AddGraph("conditionalAccessPolicies", FakeTenant.MfaPolicy("p1", "enabled"));
        tenant.ForbiddenSubscriptions.Add(Locked);
        _fake = await FakeAzure.StartAsync(tenant);
        Directory.CreateDirectory(_dir);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Collect_without_credentials_says_what_to_configure_with_exit_code_2()
    {
        var (code, _, error) = await CliRunner.RunAsync(Collectors(new FakeCredential(unavailable: true)), "collect", "--out", Path.Combine(_dir, "s.json"));

        Assert.Equal(2, code);
        Assert.Contains("No usable Azure credential", error, StringComparison.Ordinal);
        Assert.Contains("az login", error, StringComparison.Ordinal);
        Assert.Contains("AZURE_CLIENT_SECRET", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "s.json")));
        Assert.False(File.Exists(Path.Combine(_dir, "s.json.partial")));
    }

    [Fact]
    public async Task An_unknown_cloud_is_bad_usage_with_exit_code_2()
    {
        var (code, _, error) = await CliRunner.RunAsync(Collectors(new FakeCredential()), "collect", "--cloud", "mars", "--out", Path.Combine(_dir, "s.json"));

        Assert.Equal(2, code);
        Assert.Contains("public, usgov or china", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collect_writes_a_snapshot_and_lists_the_scopes_it_could_not_read()
    {
        var path = Path.Combine(_dir, "tenant.json");

        var (code, _, error) = await CliRunner.RunAsync(Collectors(new FakeCredential()), "collect", "--out", path);

        Assert.Equal(0, code);
        Assert.Contains("Collected", error, StringComparison.Ordinal);
        Assert.Contains($"error  /subscriptions/{Locked} ('Locked'): 403 on subscription 'Locked'", error, StringComparison.Ordinal);
        using var reader = SnapshotReader.OpenFile(path);
        await reader.ReadToEndAsync();
        Assert.Equal(TenantId, reader.Header.TenantId);
        Assert.Equal(["ok", "error", "ok"], reader.Header.Scopes.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => s.Status));
    }

    [Fact]
    public async Task Scan_live_collects_then_scans_through_the_same_path()
    {
        var (code, output, error) = await CliRunner.RunAsync(Collectors(new FakeCredential()), "scan", "--live", "--subscriptions", $"{Prod},{Locked}", "--format", "json");

        Assert.Equal(0, code);
        Assert.Contains("Collected", error, StringComparison.Ordinal);
        using var findings = JsonDocument.Parse(output);
        var all = findings.RootElement.EnumerateArray().ToList();
        var scopeError = Assert.Single(all, f => f.GetProperty("ruleId").GetString() == "COLLECTION-SCOPE");
        Assert.Equal($"/subscriptions/{Locked}", scopeError.GetProperty("resourceId").GetString());
        Assert.Equal("error", scopeError.GetProperty("outcome").GetString());
        Assert.Contains(all, f => f.GetProperty("ruleId").GetString() == "AZ-ENC-001" && f.GetProperty("outcome").GetString() == "fail");
        Assert.Contains(all, f => f.GetProperty("ruleId").GetString() == "AZ-ACC-020" && f.GetProperty("outcome").GetString() == "pass");
    }

    private Action<IServiceCollection> Collectors(FakeCredential credential) => services =>
    {
        services.AddSingleton<TokenCredential>(credential);
        services.AddSingleton(new CollectorTransport(_fake.CreateHandler()));
        services.AddSingleton<TimeProvider>(new InstantTimeProvider(CliRunner.Now));
    };
}
