using System.Text.Json;

namespace Compliance.Cli.Tests;

public sealed class ScanOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("compliance-scan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Out_writes_findings_json_csv_and_summary_files_and_keeps_stdout_empty()
    {
        var outDir = Path.Combine(_dir, "out");

        var (code, output, error) = await CliRunner.RunAsync("scan", "--out", outDir);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("Wrote", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "findings.json")));
        var csvLines = await File.ReadAllLinesAsync(Path.Combine(outDir, "findings.csv"));
        Assert.Equal(json.RootElement.GetArrayLength() + 1, csvLines.Length);
        Assert.StartsWith("runId,runTime,tenantId,", csvLines[0], StringComparison.Ordinal);
        Assert.Contains("Compliance scan", await File.ReadAllTextAsync(Path.Combine(outDir, "summary.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_format_neutralises_a_hostile_tag_free_text_and_keeps_rows_intact()
    {
        var snapshot = Path.Combine(_dir, "hostile.json");
        await File.WriteAllTextAsync(snapshot, """
            {"schemaVersion":1,"resources":[
              {"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x","type":"Microsoft.Storage/storageAccounts",
               "name":"=HYPERLINK(\"http://evil.example\",\"open\")","properties":{"minimumTlsVersion":"TLS1_0\r\n=1+1"}}]}
            """);

        var (code, output, _) = await CliRunner.RunAsync("scan", "--snapshot", snapshot, "--format", "csv");

        Assert.Equal(0, code);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=HYPERLINK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_override_changes_the_result()
    {
        var before = await CliRunner.RunAsync("scan", "--format", "json");
        var after = await CliRunner.RunAsync("scan", "--format", "json", "--param", "maxSubscriptionOwners=4");

        static string Outcome(string json, string rule, string resource)
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.EnumerateArray()
                .Single(f => f.GetProperty("ruleId").GetString() == rule && f.GetProperty("resourceName").GetString() == resource)
                .GetProperty("outcome").GetString()!;
        }

        Assert.Equal("fail", Outcome(before.Out, "AZ-ACC-001", "Northwind Production"));
        Assert.Equal("pass", Outcome(after.Out, "AZ-ACC-001", "Northwind Production"));
    }

    [Theory]
    [InlineData("--param", "noSuchParameter=1", "no loaded pack declares a parameter 'noSuchParameter'")]
    [InlineData("--param", "maxSubscriptionOwners=many", "is not a valid integer")]
    [InlineData("--param", "justaname", "expected name=value")]
    [InlineData("--as-of", "last tuesday", "--as-of 'last tuesday'")]
    [InlineData("--format", "xml", "xml")]
    [InlineData("--fail-on", "severe", "severe")]
    public async Task Bad_options_are_bad_usage_with_exit_code_2(string option, string value, string message)
    {
        var (code, _, error) = await CliRunner.RunAsync("scan", option, value);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_snapshot_names_file_and_line_with_exit_code_2()
    {
        var snapshot = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(snapshot, "{\"schemaVersion\":1,\"resources\":[\n{\"id\":\"a\",\"type\":\"T/x\"},\n{\"id\":\"b\" \"type\":\"T/x\"}]}");

        var (code, _, error) = await CliRunner.RunAsync("scan", "--snapshot", snapshot);

        Assert.Equal(2, code);
        Assert.Contains($"{snapshot}:3:", error, StringComparison.Ordinal);
        Assert.Contains("$.resources[1]", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scans_a_json_lines_snapshot()
    {
        var snapshot = Path.Combine(_dir, "s.jsonl");
        await File.WriteAllLinesAsync(snapshot, [
            """{"schemaVersion":1,"tenantId":"t","collectedAt":"2026-11-27T00:00:00Z"}""",
            """{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a","type":"microsoft.storage/storageaccounts","name":"a","properties":{"minimumTlsVersion":"TLS1_2","supportsHttpsTrafficOnly":true,"networkAcls":{"defaultAction":"Deny"}}}""",
        ]);

        var (code, output, _) = await CliRunner.RunAsync("scan", "--snapshot", snapshot, "--format", "json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var findings = doc.RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Equal("a", f.GetProperty("resourceName").GetString()));
        Assert.Equal("pass", findings.Single(f => f.GetProperty("ruleId").GetString() == "AZ-ENC-001").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Rules_option_limits_the_scan_to_the_given_packs()
    {
        var (code, output, _) = await CliRunner.RunAsync("scan", "--format", "json", "--rules", RepoPaths.File("rules", "encryption.json"));

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.All(doc.RootElement.EnumerateArray(), f => Assert.Contains(f.GetProperty("category").GetString(), new[] { "encryption", "collection" }));
    }
}
