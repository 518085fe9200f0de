using System.Text.Json;

namespace Compliance.Cli.Tests;

public sealed class ScanCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Store => _temp.File("compliance.db");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Scan_without_arguments_prints_a_readable_summary_of_the_sample()
    {
        var (code, output, error) = await CliRunner.RunAsync("scan", "--store", Store);

        Assert.Equal(0, code);
        Assert.Contains("northwind-tenant.json", output, StringComparison.Ordinal);
        Assert.Contains("Northwind Sandbox", output, StringComparison.Ordinal);
        Assert.Contains("Storage account nwproddata01 has minimum TLS version TLS1_0", output, StringComparison.Ordinal);
        Assert.Contains("Scanning", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_format_prints_only_the_findings_array_on_stdout()
    {
        var (code, output, _) = await CliRunner.RunAsync("scan", "--format", "json", "--store", Store);

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        var first = doc.RootElement[0];
        foreach (var property in new[] { "findingId", "ruleId", "resourceId", "resourceName", "resourceType", "outcome", "severity", "category", "reason", "evidence", "controls" })
        {
            Assert.True(first.TryGetProperty(property, out _), $"missing {property}");
        }
    }

    [Fact]
    public async Task Fail_on_high_exits_1_when_high_findings_fail()
    {
        var (code, _, error) = await CliRunner.RunAsync("scan", "--fail-on", "high", "--format", "json", "--store", Store);

        Assert.Equal(1, code);
        Assert.Contains("--fail-on", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_snapshot_is_bad_input_with_exit_code_2()
    {
        var (code, _, error) = await CliRunner.RunAsync("scan", "--snapshot", "/nonexistent/snap.json", "--store", Store);

        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/snap.json", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_bad_usage_with_exit_code_2()
    {
        var (code, _, error) = await CliRunner.RunAsync("scan", "--formt", "json");

        Assert.Equal(2, code);
        Assert.Contains("--formt", error, StringComparison.Ordinal);
    }
}
