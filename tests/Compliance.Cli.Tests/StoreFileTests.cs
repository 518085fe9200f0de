using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Microsoft.Data.Sqlite;

namespace Compliance.Cli.Tests;

/// <summary>
/// The store file as users meet it: locked by another scan, full, written by an earlier version,
/// not wanted at all (--store none); and what a run records of where its findings came from.
/// </summary>
public sealed class StoreFileTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = CliRunner.Now;
    private static readonly DateTimeOffset Day2 = CliRunner.Now.AddDays(1);
    private static readonly string Day1Snapshot = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "northwind-tenant-day1.json");
    private static readonly string Day2Snapshot = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "northwind-tenant-day2.json");
    private static readonly string HistoryRules = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "history-rules");

    private readonly TempFolder _temp = new();

    private string Store => _temp.File("compliance.db");

    public void Dispose() => _temp.Dispose();

    private static List<JsonElement> Array(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public async Task A_store_locked_by_another_writer_is_a_clear_exit_2_once_the_wait_is_over()
    {
        Assert.Equal(0, (await CliRunner.RunAtAsync(Day1, "scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", Store, "--format", "json")).ExitCode);
        SqliteConnection.ClearAllPools();
        await using var other = new SqliteConnection($"Data Source={Store};Pooling=False");
        await other.OpenAsync();
        await using var command = other.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE";
        await command.ExecuteNonQueryAsync();

        var (code, output, error) = await CliRunner.RunWithSettingsAsync(
            new Dictionary<string, string?> { ["Store:Sqlite:BusyTimeout"] = "00:00:01" }, Day2,
            "scan", "--rules", HistoryRules, "--snapshot", Day2Snapshot, "--store", Store, "--format", "json");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"the report store {Store} is locked by another process", error, StringComparison.Ordinal);
        Assert.Contains("Store:Sqlite:BusyTimeout", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_store_is_a_clear_exit_2_and_keeps_what_it_held()
    {
        Assert.Equal(0, (await CliRunner.RunAtAsync(Day1, "scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", Store, "--format", "json")).ExitCode);

        // A tenant larger than the room left: a thousand copies of each storage account.
        var big = JsonNode.Parse(await File.ReadAllTextAsync(Day1Snapshot))!.AsObject();
        var resources = big["resources"]!.AsArray();
        foreach (var account in resources.Where(r => r!["type"]!.GetValue<string>() == "microsoft.storage/storageaccounts").Select(r => r!.ToJsonString()).ToList())
        {
            for (var i = 0; i < 1000; i++)
            {
                var copy = JsonNode.Parse(account)!.AsObject();
                copy["id"] = copy["id"]!.GetValue<string>() + "x" + i;
                copy["name"] = copy["name"]!.GetValue<string>() + "x" + i;
                resources.Add(copy);
            }
        }

        var snapshot = _temp.File("big.json");
        await File.WriteAllTextAsync(snapshot, big.ToJsonString());
        var (code, _, error) = await CliRunner.RunWithSettingsAsync(
            new Dictionary<string, string?> { ["Store:Sqlite:MaxSizeMegabytes"] = "1" }, Day2,
            "scan", "--rules", HistoryRules, "--snapshot", snapshot, "--store", Store, "--format", "json");

        Assert.Equal(2, code);
        Assert.Contains($"the report store {Store} is full", error, StringComparison.Ordinal);
        Assert.Contains("nothing of this scan was stored", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);

        var (_, findings, _) = await CliRunner.RunAtAsync(Day2, "findings", "--store", Store, "--format", "json");
        Assert.NotEmpty(Array(findings));
    }

    [Fact]
    public async Task Store_none_writes_the_findings_and_keeps_nothing()
    {
        var (code, output, error) = await CliRunner.RunAtAsync(Day1, "scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", "none", "--format", "json");

        Assert.True(code == 0, error);
        var findings = Array(output);
        Assert.Contains(findings, f => f.GetProperty("outcome").GetString() == "fail");
        Assert.All(findings, f => Assert.False(f.TryGetProperty("historyStatus", out _)));
        Assert.All(findings, f => Assert.True(f.TryGetProperty("scopeId", out _)));
        Assert.Contains("Not stored (--store none)", error, StringComparison.Ordinal);
        Assert.False(File.Exists("none"));

        var (_, table, _) = await CliRunner.RunAtAsync(Day1, "scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", "none");
        Assert.Contains("Not stored (--store none): no history", table, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRunner.RunAtAsync(Day1, "runs", "--store", "none")).ExitCode);
    }

    [Fact]
    public async Task A_run_records_where_its_findings_came_from_and_the_evidence_names_it()
    {
        Assert.Equal(0, (await CliRunner.RunAtAsync(Day1, "scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", Store, "--format", "json")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAtAsync(Day2, "scan", "--rules", HistoryRules, "--snapshot", Day2Snapshot, "--store", Store, "--format", "json", "--param", "maxSubscriptionOwners=4")).ExitCode);

        var (_, json, _) = await CliRunner.RunAtAsync(Day2, "runs", "--store", Store, "--format", "json");
        var run = Array(json)[0];
        var provenance = run.GetProperty("provenance");
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Day2Snapshot)));
        var collectedAt = JsonNode.Parse(await File.ReadAllTextAsync(Day2Snapshot))!["collectedAt"]!.GetValue<string>();
        Assert.Equal(sha, provenance.GetProperty("snapshotSha256").GetString());
        Assert.Equal("northwind-tenant-day2.json", provenance.GetProperty("snapshotFile").GetString());
        Assert.True(provenance.GetProperty("snapshotComplete").GetBoolean());
        Assert.Equal("4", provenance.GetProperty("parameters").GetProperty("maxSubscriptionOwners").GetString());
        Assert.False(string.IsNullOrEmpty(provenance.GetProperty("toolVersion").GetString()));
        Assert.Equal(DateTimeOffset.Parse(collectedAt, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(run.GetProperty("collectedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(run.GetProperty("scopes").EnumerateArray(), s => s.GetProperty("status").GetString() == "error" && s.GetProperty("error").GetString()!.Contains("403", StringComparison.Ordinal));

        var (_, table, _) = await CliRunner.RunAtAsync(Day2, "runs", "--store", Store);
        Assert.Contains("Collected (UTC)", table, StringComparison.Ordinal);
        Assert.Contains(IsoTime.Minutes(DateTimeOffset.Parse(collectedAt, System.Globalization.CultureInfo.InvariantCulture))[..16], table, StringComparison.Ordinal);

        var evidence = _temp.File("evidence");
        Assert.Equal(0, (await CliRunner.RunAtAsync(Day2, "export", "csv", "--store", Store, "--out", evidence)).ExitCode);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(evidence, "manifest.json")));
        var m = manifest.RootElement;
        Assert.Equal(IsoTime.Seconds(DateTimeOffset.Parse(collectedAt, System.Globalization.CultureInfo.InvariantCulture)), m.GetProperty("collectedAt").GetString());
        Assert.Equal(sha, m.GetProperty("snapshot").GetProperty("sha256").GetString());
        Assert.Equal("4", m.GetProperty("parameters").GetProperty("maxSubscriptionOwners").GetString());
        Assert.Equal(4, m.GetProperty("scopes").GetArrayLength());
        Assert.Equal(run.GetProperty("previousRunId").GetString(), m.GetProperty("previousRunId").GetString());
        var controls = await File.ReadAllLinesAsync(Path.Combine(evidence, "controls.csv"));
        Assert.StartsWith("runId,runTime,collectedAt,", controls[0], StringComparison.Ordinal);
        Assert.All(controls.Skip(1), line => Assert.Contains($"\"{IsoTime.Seconds(DateTimeOffset.Parse(collectedAt, System.Globalization.CultureInfo.InvariantCulture))}\"", line, StringComparison.Ordinal));
        Assert.Equal(0, (await CliRunner.RunAtAsync(Day2, "evidence", "verify", evidence)).ExitCode);
    }

    [Fact]
    public async Task A_store_of_the_first_release_is_refused_with_the_command_that_migrates_it_and_migrates_with_its_history()
    {
        // What the first release wrote: schema 1, every finding and state a JSON document.
        var (_, first, _) = await CliRunner.RunAtAsync(Day1, "scan", "--rules", HistoryRules, "--snapshot", Day1Snapshot, "--store", "none", "--format", "json");
        var findings = Array(first);
        await V1Store.WriteAsync(Store, "20261127T090000Z-0a0b0c0d", "7f3e2d1c-4b5a-4e6f-9a8b-0c1d2e3f4a5b", Day1, findings);

        var refused = await CliRunner.RunAtAsync(Day2, "runs", "--store", Store);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"run 'compliance store migrate --store {Store}'", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRunner.RunAtAsync(Day2, "scan", "--rules", HistoryRules, "--snapshot", Day2Snapshot, "--store", Store)).ExitCode);

        var migrated = await CliRunner.RunAtAsync(Day2, "store", "migrate", "--store", Store);
        Assert.True(migrated.ExitCode == 0, migrated.Error);
        Assert.Contains($"migrated 1 run(s), {findings.Count} finding(s)", migrated.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Store + ".v1.bak"));

        var (code, kept, error) = await CliRunner.RunAtAsync(Day2, "findings", "--store", Store, "--format", "json");
        Assert.True(code == 0, error);
        Assert.Equal(
            findings.Select(f => (f.GetProperty("findingId").GetString(), f.GetProperty("outcome").GetString(), f.GetProperty("reason").GetString())).Order(),
            Array(kept).Select(f => (f.GetProperty("findingId").GetString(), f.GetProperty("outcome").GetString(), f.GetProperty("reason").GetString())).Order());

        var (scanCode, _, scanError) = await CliRunner.RunAtAsync(Day2, "scan", "--rules", HistoryRules, "--snapshot", Day2Snapshot, "--store", Store, "--format", "json");
        Assert.True(scanCode == 0, scanError);
        var (_, runs, _) = await CliRunner.RunAtAsync(Day2, "runs", "--store", Store, "--format", "json");
        Assert.Equal("20261127T090000Z-0a0b0c0d", Array(runs)[0].GetProperty("previousRunId").GetString());
    }
}
