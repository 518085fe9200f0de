using Compliance.Functions.Tests.Support;
using Microsoft.Extensions.Options;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>Options are validated when the app starts, and a bad one names its setting.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("Collectors:Azure:TenantId", "", "Collectors:Azure:TenantId")]
    [InlineData("Secrets:VaultUri", "http://kv.example/", "Secrets:VaultUri")]
    [InlineData("Scan:StuckRunTimeout", "00:01:00", "Scan:StuckRunTimeout")]
    [InlineData("Alerts:FindingsUrl", "https://portal.example/runs", "Alerts:FindingsUrl")]
    [InlineData("Teams:MaxAttempts", "0", "Teams:MaxAttempts")]
    public async Task A_bad_setting_stops_the_start_naming_the_setting(string key, string value, string named)
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso(), s => s[key] = value);

        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(host.StartHostAsync);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_function_app_does_not_ship_the_embedded_store()
    {
        // Every assembly the app references, transitively, as the compiler recorded it (not what
        // this test project loads: it references the CLI, and so SQLite, for the parity test).
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<System.Reflection.AssemblyName>([typeof(Compliance.Functions.Scanning.RunStarter).Assembly.GetName()]);
        while (pending.TryPop(out var name))
        {
            if (!seen.Add(name.Name!) || !name.Name!.StartsWith("Compliance.", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var reference in System.Reflection.Assembly.Load(name).GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }

        Assert.Contains("Compliance.Reporting", seen);
        Assert.DoesNotContain(seen, n => n.Contains("Sqlite", StringComparison.OrdinalIgnoreCase));
    }
}
