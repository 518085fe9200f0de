using System.Globalization;
using System.Text.Json;
using CsvHelper;

namespace Compliance.Cli.Tests;

/// <summary>
/// Two scans of a changed tenant (the sample, then TestData/northwind-tenant-day2.json: one storage
/// account fixed, one broken again, one NSG deleted, one new account), through the store, the
/// commands that read it and the evidence export.
/// </summary>
public sealed class StoreCommandsTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = CliRunner.Now;
    private static readonly DateTimeOffset Day2 = CliRunner.Now.AddDays(1);
    private static readonly string Day2Snapshot = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "northwind-tenant-day2.json");

    // The scenario is pinned: the sample and the starter rule packs as they were when it was written, so
    // that new built-in rules or sample resources do not change the history being tested.
    private static readonly string Day1Snapshot = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "northwind-tenant-day1.json");
    private static readonly string HistoryRules = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "history-rules");

    private readonly TempFolder _temp = new();

    private string Store => _temp.File("compliance.db");

    public void Dispose() => _temp.Dispose();

    private async Task ScanTwiceAsync(params string[] extra)
    {
        var first = await CliRunner.RunAtAsync(Day1, ["scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", Store, "--format", "json", .. extra]);
        Assert.True(first.ExitCode == 0, first.Error);
        var second = await CliRunner.RunAtAsync(Day2, ["scan", "--rules", HistoryRules, "--store", Store, "--snapshot", Day2Snapshot, "--format", "json", .. extra]);
        Assert.True(second.ExitCode == 0, second.Error);
    }

    private static Dictionary<(string Rule, string Resource), JsonElement> ByRuleAndResource(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().ToDictionary(
            f => (f.GetProperty("ruleId").GetString()!, f.GetProperty("resourceName").GetString()!),
            f => f.Clone());
    }

    [Fact]
    public async Task Two_scans_of_a_changed_tenant_show_new_resolved_and_regressed_findings()
    {
        await ScanTwiceAsync();

        var (code, json, error) = await CliRunner.RunAtAsync(Day2, "findings", "--store", Store, "--status", "new,resolved", "--status", "regressed", "--format", "json");

        Assert.True(code == 0, error);
        var findings = ByRuleAndResource(json);
        Assert.Equal("regressed", findings[("AZ-ENC-002", "nwprodlogs01")].GetProperty("historyStatus").GetString());
        Assert.Equal("new", findings[("AZ-ENC-001", "nwprodnew01")].GetProperty("historyStatus").GetString());
        Assert.Equal("resolved", findings[("AZ-ENC-001", "nwproddata01")].GetProperty("historyStatus").GetString());
        var deleted = findings[("AZ-FW-001", "nsg-web-prod")];
        Assert.Equal("resolved", deleted.GetProperty("historyStatus").GetString());
        Assert.True(deleted.GetProperty("carried").GetBoolean());
        Assert.Equal(4, findings.Count);

        // The unreadable Sandbox subscription stays an error in both runs: persisting, never resolved.
        var (_, persisting, _) = await CliRunner.RunAtAsync(Day2, "findings", "--store", Store, "--status", "persisting", "--severity", "high", "--format", "json");
        Assert.Equal("error", ByRuleAndResource(persisting)[("COLLECTION-SCOPE", "Northwind Sandbox")].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task The_scan_summary_and_the_findings_table_show_what_changed()
    {
        await CliRunner.RunAtAsync(Day1, "scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", Store);
        var (code, summary, _) = await CliRunner.RunAtAsync(Day2, "scan", "--rules", HistoryRules, "--store", Store, "--snapshot", Day2Snapshot);

        Assert.Equal(0, code);
        Assert.Contains("1 new, 1 regressed, 20 persisting, 2 resolved since run", summary, StringComparison.Ordinal);
        Assert.Contains("Resolved since the previous run", summary, StringComparison.Ordinal);
        Assert.Contains("AZ-FW-001 nsg-web-prod (resource gone)", summary, StringComparison.Ordinal);
        Assert.Contains("AZ-ENC-001 nwproddata01 (now passes)", summary, StringComparison.Ordinal);
        Assert.Contains("regressed", summary, StringComparison.Ordinal);

        var (_, table, _) = await CliRunner.RunAtAsync(Day2, "findings", "--store", Store, "--status", "regressed");
        Assert.Contains("nwprodlogs01", table, StringComparison.Ordinal);
        Assert.DoesNotContain("nwprodnew01", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_lists_both_runs_newest_first_with_their_counts()
    {
        await ScanTwiceAsync();

        var (code, json, _) = await CliRunner.RunAtAsync(Day2, "runs", "--store", Store, "--format", "json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(json);
        var runs = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal(runs[1].GetProperty("runId").GetString(), runs[0].GetProperty("previousRunId").GetString());
        Assert.Equal("completed", runs[0].GetProperty("status").GetString());
        Assert.Equal(1, runs[0].GetProperty("counts").GetProperty("regressed").GetInt32());
        Assert.Equal(4, runs[0].GetProperty("packs").GetArrayLength());
        Assert.Equal(64, runs[0].GetProperty("packs")[0].GetProperty("contentHash").GetString()!.Length);
        Assert.Contains(runs[0].GetProperty("scopes").EnumerateArray(), s => s.GetProperty("status").GetString() == "error");

        var (_, table, _) = await CliRunner.RunAtAsync(Day2, "runs", "--store", Store);
        Assert.Contains(runs[0].GetProperty("runId").GetString()!, table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_evidence_csv_carries_the_history_and_verifies_until_a_byte_changes()
    {
        await ScanTwiceAsync();
        var key = _temp.File("key.txt");
        await File.WriteAllTextAsync(key, "a-signing-key-for-the-tests-0123456789");
        var evidence = _temp.File("evidence");

        var export = await CliRunner.RunAtAsync(Day2, "export", "csv", "--store", Store, "--out", evidence, "--signing-key-file", key, "--framework", "CIS-Azure-3.0.0");
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("signed (HMAC-SHA256", export.Out, StringComparison.Ordinal);

        using (var reader = new CsvReader(new StreamReader(Path.Combine(evidence, "findings.csv")), CultureInfo.InvariantCulture))
        {
            var rows = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
            string StatusOf(string rule, string name) => (string)rows.Single(r => (string)r["ruleId"] == rule && (string)r["resourceName"] == name)["historyStatus"];
            Assert.Equal("regressed", StatusOf("AZ-ENC-002", "nwprodlogs01"));
            Assert.Equal("new", StatusOf("AZ-ENC-001", "nwprodnew01"));
            Assert.Equal("resolved", StatusOf("AZ-ENC-001", "nwproddata01"));
            Assert.Equal("resolved", StatusOf("AZ-FW-001", "nsg-web-prod"));
            var hostile = rows.Single(r => (string)r["ruleId"] == "AZ-ENC-001" && (string)r["resourceName"] == "nwprodnew01");
            Assert.Equal("note=@SUM(1,2); team=-1+cmd|' /C calc'!A0", hostile["tags"]);
        }

        var controls = await File.ReadAllLinesAsync(Path.Combine(evidence, "controls.csv"));
        Assert.All(controls.Skip(1), line => Assert.Contains("\"CIS-Azure-3.0.0\"", line, StringComparison.Ordinal));

        var verified = await CliRunner.RunAtAsync(Day2, "evidence", "verify", evidence, "--signing-key-file", key);
        Assert.True(verified.ExitCode == 0, verified.Out);
        Assert.Contains("verified", verified.Out, StringComparison.Ordinal);

        var csv = Path.Combine(evidence, "controls.csv");
        var bytes = await File.ReadAllBytesAsync(csv);
        bytes[bytes.Length / 2] ^= 0x20;
        await File.WriteAllBytesAsync(csv, bytes);
        var tampered = await CliRunner.RunAtAsync(Day2, "evidence", "verify", evidence, "--signing-key-file", key);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("changed: controls.csv", tampered.Out, StringComparison.Ordinal);
        Assert.Contains("NOT verified", tampered.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suppressions_apply_until_they_expire_and_are_then_reported_as_expired()
    {
        var suppressions = _temp.File("suppressions.json");
        await File.WriteAllTextAsync(suppressions, """
            {
              "suppressions": [
                {
                  "id": "dev-scratch-http",
                  "ruleId": "AZ-ENC-002",
                  "resourceId": "/subscriptions/9a4e2b7c-1f3d-4c6a-8e5b-7d2f0a1c3e57/resourceGroups/rg-dev/providers/Microsoft.Storage/storageAccounts/nwdevscratch01",
                  "justification": "Scratch account for a legacy HTTP test client (RISK-112).",
                  "owner": "dev-platform@northwind.example",
                  "expiresOn": "2026-11-30"
                }
              ]
            }
            """);

        var (code, json, _) = await CliRunner.RunAtAsync(Day1, "scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", Store, "--suppressions", suppressions, "--format", "json");
        Assert.Equal(0, code);
        var suppressed = ByRuleAndResource(json)[("AZ-ENC-002", "nwdevscratch01")];
        Assert.Equal("suppressed", suppressed.GetProperty("outcome").GetString());
        Assert.Equal("Scratch account for a legacy HTTP test client (RISK-112). (owner: dev-platform@northwind.example)", suppressed.GetProperty("suppressionJustification").GetString());
        Assert.StartsWith("2026-12-01T00:00:00", suppressed.GetProperty("suppressionExpiresOn").GetString(), StringComparison.Ordinal);

        var (laterCode, later, warnings) = await CliRunner.RunAtAsync(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero), "scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", Store, "--suppressions", suppressions, "--format", "json");
        Assert.Equal(0, laterCode);
        var expired = ByRuleAndResource(later)[("AZ-ENC-002", "nwdevscratch01")];
        Assert.Equal("fail", expired.GetProperty("outcome").GetString());
        Assert.Equal("persisting", expired.GetProperty("historyStatus").GetString());
        Assert.Contains("suppression dev-scratch-http", warnings, StringComparison.Ordinal);
        Assert.Contains("expired 2026-12-01", warnings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_suppressions_file_stops_the_scan_with_file_line_and_json_path()
    {
        var suppressions = _temp.File("suppressions.json");
        await File.WriteAllTextAsync(suppressions, "{\n  \"suppressions\": [\n    { \"ruleId\": \"AZ-ENC-002\", \"resourceId\": \"/x\", \"owner\": \"me\", \"expiresOn\": \"2031-01-01\" }\n  ]\n}\n");

        var (code, output, error) = await CliRunner.RunAsync("scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", Store, "--suppressions", suppressions);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"{suppressions}:3:5: $.suppressions[0]: missing required property 'justification'", error, StringComparison.Ordinal);
        Assert.Contains($"{suppressions}:3:", error, StringComparison.Ordinal);
        Assert.Contains("$.suppressions[0].expiresOn: '2031-01-01' is more than 365 days from now", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Store) && (await CliRunner.RunAsync("runs", "--store", Store, "--format", "json")).Out.Contains("runId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reading_an_empty_store_or_an_unknown_run_is_bad_usage()
    {
        var (code, _, error) = await CliRunner.RunAsync("findings", "--store", Store);
        Assert.Equal(2, code);
        Assert.Contains("there is no report store at", error, StringComparison.Ordinal);
        Assert.Contains("run 'compliance scan' first", error, StringComparison.Ordinal);

        // A store whose only run is still open holds no finalised run yet.
        await TestStores.Open(Store).CreateRunAsync(new Reporting.Store.RunStart { RunId = "open-1", TenantId = "t", StartedAt = Day1 });
        (code, _, error) = await CliRunner.RunAsync("findings", "--store", Store);
        Assert.Equal(2, code);
        Assert.Contains("holds no finalised run yet", error, StringComparison.Ordinal);

        (code, _, error) = await CliRunner.RunAsync("export", "csv", "--store", Store, "--run", "nope", "--out", _temp.File("ev"));
        Assert.Equal(2, code);
        Assert.Contains("--run 'nope': no such run", error, StringComparison.Ordinal);

        (code, _, error) = await CliRunner.RunAsync("findings", "--store", Store, "--status", "fixed");
        Assert.Equal(2, code);
        Assert.Contains("--status 'fixed': expected one of new, persisting, resolved, regressed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suppressions_validate_lists_active_and_expired_entries()
    {
        var suppressions = _temp.File("suppressions.json");
        await File.WriteAllTextAsync(suppressions, """
            { "suppressions": [
              { "ruleId": "AZ-ENC-002", "resourcePattern": "*/rg-dev/*", "justification": "j", "owner": "a", "expiresOn": "2026-11-01" },
              { "ruleId": "AZ-FW-*", "resourceId": "/x", "tag": { "name": "exception" }, "justification": "j", "owner": "b", "expiresOn": "2027-06-01" } ] }
            """);

        var (code, output, _) = await CliRunner.RunAsync("suppressions", "validate", suppressions);

        Assert.Equal(0, code);
        Assert.Contains("EXPIRED suppressions.json:2: AZ-ENC-002 on */rg-dev/*", output, StringComparison.Ordinal);
        Assert.Contains("active  suppressions.json:3: AZ-FW-* on /x with tag exception", output, StringComparison.Ordinal);
        Assert.Contains("2 suppression(s), 1 expired: valid.", output, StringComparison.Ordinal);
    }
}
