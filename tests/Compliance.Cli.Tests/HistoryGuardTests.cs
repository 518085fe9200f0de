using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;

namespace Compliance.Cli.Tests;

/// <summary>
/// The ways a first release let history be fooled, each tried as a user would: a cut .jsonl, an
/// empty snapshot, a scope listed twice, passes in a scope that could not be read, suppressions
/// that cover everything, an expiry beyond the calendar, a killed run, a read-only store. Each
/// snapshot here is derived from the pinned day-1 sample (TestData/northwind-tenant-day1.json).
/// </summary>
public sealed class HistoryGuardTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = CliRunner.Now;
    private static readonly DateTimeOffset Day2 = CliRunner.Now.AddDays(1);
    private static readonly string Day1Snapshot = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "northwind-tenant-day1.json");
    private static readonly string HistoryRules = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "history-rules");

    private const string Prod = "/subscriptions/3b1f6c2e-8d4a-4f7b-9c1e-2a5d7e9f0b13";
    private const string Sandbox = "/subscriptions/c5d7e9f1-2a4b-4c6d-8e0f-1a3b5c7d9e02";

    private readonly TempFolder _temp = new();

    private string Store => _temp.File("compliance.db");

    public void Dispose() => _temp.Dispose();

    private static JsonObject Day1Json() => JsonNode.Parse(File.ReadAllText(Day1Snapshot))!.AsObject();

    private string Write(string name, JsonNode snapshot)
    {
        var path = _temp.File(name);
        File.WriteAllText(path, snapshot.ToJsonString());
        return path;
    }

    private Task<(int ExitCode, string Out, string Error)> ScanAsync(DateTimeOffset at, string snapshot, params string[] extra) =>
        CliRunner.RunAtAsync(at, ["scan", "--rules", HistoryRules, "--snapshot", snapshot, "--store", Store, .. extra]);

    private async Task<List<JsonElement>> ScanJsonAsync(DateTimeOffset at, string snapshot, params string[] extra)
    {
        var (code, output, error) = await ScanAsync(at, snapshot, ["--format", "json", .. extra]);
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private async Task<List<JsonElement>> RunsAsync(DateTimeOffset at)
    {
        var (code, output, error) = await CliRunner.RunAtAsync(at, "runs", "--store", Store, "--format", "json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static string? Status(JsonElement finding) =>
        finding.TryGetProperty("historyStatus", out var status) ? status.GetString() : null;

    private static string Text(JsonElement finding, string property) => finding.GetProperty(property).GetString()!;

    private static string Text(JsonNode node, string property) => node[property]!.GetValue<string>();

    [Fact]
    public async Task A_jsonl_snapshot_cut_at_a_line_boundary_resolves_nothing_and_says_so()
    {
        var first = await ScanJsonAsync(Day1, Day1Snapshot);
        Assert.Contains(first, f => Text(f, "outcome") == "fail");

        // A `head` of a JSON Lines export: the header and the first resources, no scope lines, no end line.
        var day1 = Day1Json();
        var lines = new List<string> { new JsonObject { ["schemaVersion"] = 1, ["tenantId"] = day1["tenantId"]!.DeepClone(), ["collectedAt"] = "2026-11-28T02:00:00Z" }.ToJsonString() };
        lines.AddRange(day1["resources"]!.AsArray().Take(30).Select(r => r!.ToJsonString()));
        var cut = _temp.File("cut.jsonl");
        await File.WriteAllLinesAsync(cut, lines);

        var (code, output, error) = await ScanAsync(Day2, cut, "--format", "json");

        Assert.True(code == 0, error);
        Assert.Contains("truncated", error, StringComparison.OrdinalIgnoreCase);
        using var doc = JsonDocument.Parse(output);
        Assert.DoesNotContain(doc.RootElement.EnumerateArray(), f => Status(f) == "resolved");
        var run = (await RunsAsync(Day2))[0];
        Assert.Equal("suspect", run.GetProperty("status").GetString());
        Assert.Contains("end line", run.GetProperty("suspectReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_whose_readable_scopes_hold_no_resources_is_suspect_and_resolves_nothing()
    {
        await ScanJsonAsync(Day1, Day1Snapshot);
        var empty = Day1Json();
        empty["collectedAt"] = "2026-11-28T02:00:00Z";
        empty["resources"] = new JsonArray();

        var (code, summary, error) = await ScanAsync(Day2, Write("empty.json", empty));

        Assert.True(code == 0, error);
        Assert.Contains("suspect", summary, StringComparison.Ordinal);
        Assert.Contains("no resources", summary, StringComparison.Ordinal);
        Assert.Contains("0 resolved", summary, StringComparison.Ordinal);
        var run = (await RunsAsync(Day2))[0];
        Assert.Equal("suspect", run.GetProperty("status").GetString());
        Assert.Equal(0, run.GetProperty("counts").GetProperty("resolved").GetInt32());
    }

    [Fact]
    public async Task A_run_that_would_resolve_most_problems_at_once_is_suspect_until_the_changes_are_accepted()
    {
        var first = await ScanJsonAsync(Day1, Day1Snapshot);
        var problems = first.Count(f => Text(f, "outcome") is "fail" or "error");

        // Production and Development vanish from the resources while their scopes still read "ok".
        var gutted = Day1Json();
        gutted["collectedAt"] = "2026-11-28T02:00:00Z";
        var kept = gutted["resources"]!.AsArray().Where(r => !Text(r!, "id").StartsWith("/subscriptions/", StringComparison.Ordinal)).Select(r => r!.DeepClone()).ToList();
        gutted["resources"] = new JsonArray([.. kept]);
        var path = Write("gutted.json", gutted);

        var suspect = await ScanJsonAsync(Day2, path);
        Assert.DoesNotContain(suspect, f => Status(f) == "resolved");
        var run = (await RunsAsync(Day2))[0];
        Assert.Equal("suspect", run.GetProperty("status").GetString());
        Assert.Contains($"of the {problems}", run.GetProperty("suspectReason").GetString(), StringComparison.Ordinal);

        var accepted = await ScanJsonAsync(Day2.AddHours(1), path, "--accept-changes");
        Assert.Contains(accepted, f => Status(f) == "resolved");
        var acceptedRun = (await RunsAsync(Day2.AddHours(1)))[0];
        Assert.Equal("completed", acceptedRun.GetProperty("status").GetString());
        Assert.True(acceptedRun.GetProperty("changesAccepted").GetBoolean());
    }

    [Fact]
    public async Task A_scope_listed_twice_takes_its_worst_status_and_resolves_nothing_in_it()
    {
        await ScanJsonAsync(Day1, Day1Snapshot);
        var twice = Day1Json();
        twice["collectedAt"] = "2026-11-28T02:00:00Z";
        var scopes = twice["scopes"]!.AsArray();
        scopes.Insert(0, new JsonObject { ["id"] = Prod, ["status"] = "error", ["error"] = "403 AuthorizationFailed on the second page" });
        twice["resources"] = new JsonArray([.. twice["resources"]!.AsArray().Where(r => !Text(r!, "id").StartsWith(Prod, StringComparison.Ordinal)).Select(r => r!.DeepClone())]);

        var findings = await ScanJsonAsync(Day2, Write("twice.json", twice));

        var inProd = findings.Where(f => Text(f, "resourceId").StartsWith(Prod, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inProd);
        Assert.DoesNotContain(inProd, f => Status(f) == "resolved");
        Assert.Contains(inProd, f => Text(f, "ruleId") == "COLLECTION-SCOPE" && Text(f, "outcome") == "error");
        var run = (await RunsAsync(Day2))[0];
        var prodScope = run.GetProperty("scopes").EnumerateArray().Single(s => Text(s, "id") == Prod);
        Assert.Equal("error", Text(prodScope, "status"));
    }

    [Fact]
    public async Task What_would_pass_in_a_scope_that_could_not_be_read_is_not_reported_as_compliant()
    {
        // The Sandbox subscription errored part-way: the storage accounts read before the error are in the snapshot.
        var partial = Day1Json();
        var resources = partial["resources"]!.AsArray();
        var copies = resources.Where(r => Text(r!, "type") == "microsoft.storage/storageaccounts").Select(r =>
        {
            var copy = r!.DeepClone().AsObject();
            copy["id"] = Text(copy, "id").Replace(Prod, Sandbox, StringComparison.Ordinal).Replace("/subscriptions/9a4e2b7c-1f3d-4c6a-8e5b-7d2f0a1c3e57", Sandbox, StringComparison.Ordinal);
            copy["subscriptionId"] = Sandbox.Split('/')[2];
            return copy;
        }).ToList();
        foreach (var copy in copies)
        {
            resources.Add(copy);
        }

        var (code, summary, error) = await ScanAsync(Day1, Write("partial.json", partial));
        Assert.True(code == 0, error);
        Assert.Contains("nothing in them is reported as compliant", summary, StringComparison.Ordinal);

        var findings = await ScanJsonAsync(Day1.AddHours(1), Write("partial.json", partial));
        var inSandbox = findings.Where(f => Text(f, "resourceId").StartsWith(Sandbox + "/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inSandbox);
        Assert.DoesNotContain(inSandbox, f => Text(f, "outcome") == "pass");
        Assert.Contains(inSandbox, f => Text(f, "outcome") == "fail");
        var unconfirmed = inSandbox.Where(f => Text(f, "outcome") == "error" && Text(f, "ruleId") == "AZ-ENC-001").ToList();
        Assert.NotEmpty(unconfirmed);
        Assert.All(unconfirmed, f => Assert.Contains("passes on what was read", Text(f, "reason"), StringComparison.Ordinal));
        Assert.All(unconfirmed, f => Assert.Contains("could not be read completely", Text(f, "reason"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Suppressions_kept_in_the_store_are_checked_like_the_file()
    {
        await ScanJsonAsync(Day1, Day1Snapshot);
        var store = TestStores.Open(Store);
        await store.UpsertSuppressionAsync(new Suppression
        {
            Id = "everything",
            RuleId = "*",
            ResourcePattern = "*",
            Justification = "x",
            Owner = "y",
            ExpiresOn = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero),
            Source = "store",
        });

        var (code, output, error) = await ScanAsync(Day2, Day1Snapshot, "--format", "json");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("everything", error, StringComparison.Ordinal);
        Assert.Contains("365 days", error, StringComparison.Ordinal);
        Assert.Contains("\"broad\": true", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suppression_of_every_rule_on_every_resource_needs_broad_true_and_is_shown_as_broad()
    {
        var file = _temp.File("suppressions.json");
        const string Entry = "{ \"ruleId\": \"*\", \"resourcePattern\": \"*\", \"justification\": \"Tenant under migration (CHG-1).\", \"owner\": \"sec@northwind.example\", \"expiresOn\": \"2027-01-31\"";
        await File.WriteAllTextAsync(file, "{\n  \"suppressions\": [\n    " + Entry + " }\n  ]\n}\n");

        var (code, _, error) = await ScanAsync(Day1, Day1Snapshot, "--suppressions", file);
        Assert.Equal(2, code);
        Assert.Contains($"{file}:3:5: $.suppressions[0]", error, StringComparison.Ordinal);
        Assert.Contains("\"broad\": true", error, StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, "{\n  \"suppressions\": [\n    " + Entry + ", \"broad\": true }\n  ]\n}\n");
        var findings = await ScanJsonAsync(Day1, Day1Snapshot, "--suppressions", file);
        var suppressed = findings.Where(f => Text(f, "outcome") == "suppressed").ToList();
        Assert.NotEmpty(suppressed);
        Assert.All(suppressed, f => Assert.True(f.GetProperty("suppressionBroad").GetBoolean()));

        var (_, summary, _) = await ScanAsync(Day1.AddHours(1), Day1Snapshot, "--suppressions", file);
        Assert.Contains("broad suppression", summary, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_expiry_beyond_the_calendar_is_bad_input_with_file_line_and_path()
    {
        var file = _temp.File("suppressions.json");
        await File.WriteAllTextAsync(file, "{\n  \"suppressions\": [\n    { \"ruleId\": \"AZ-ENC-002\", \"resourceId\": \"/x\", \"justification\": \"j\", \"owner\": \"o\",\n      \"expiresOn\": \"9999-12-31\" }\n  ]\n}\n");

        var (code, _, error) = await ScanAsync(Day1, Day1Snapshot, "--suppressions", file);

        Assert.Equal(2, code);
        Assert.Contains($"{file}:4:", error, StringComparison.Ordinal);
        Assert.Contains("$.suppressions[0].expiresOn", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_left_running_by_a_killed_scan_is_marked_abandoned_by_the_next_scan()
    {
        await ScanJsonAsync(Day1, Day1Snapshot);

        // What `kill -9` leaves behind: a run that started and never finished.
        var store = TestStores.Open(Store);
        await store.CreateRunAsync(new RunStart { RunId = "20261127T100000Z-deadbeef", TenantId = "7f3e2d1c-4b5a-4e6f-9a8b-0c1d2e3f4a5b", StartedAt = Day1.AddHours(1), Trigger = "cli" });

        await ScanJsonAsync(Day1.AddHours(12), Day1Snapshot);

        var killed = (await RunsAsync(Day1.AddHours(12))).Single(r => Text(r, "runId") == "20261127T100000Z-deadbeef");
        Assert.Equal("abandoned", Text(killed, "status"));
    }

    [Fact]
    public async Task Read_commands_work_on_a_store_that_cannot_be_written()
    {
        await ScanJsonAsync(Day1, Day1Snapshot);
        using (ReadOnlyFiles.Make(_temp.Path, Store))
        {
            var runs = await CliRunner.RunAtAsync(Day2, "runs", "--store", Store);
            Assert.True(runs.ExitCode == 0, runs.Error);
            var findings = await CliRunner.RunAtAsync(Day2, "findings", "--store", Store, "--format", "json");
            Assert.True(findings.ExitCode == 0, findings.Error);
            Assert.StartsWith("[", findings.Out, StringComparison.Ordinal);

            var scan = await ScanAsync(Day2, Day1Snapshot);
            Assert.Equal(2, scan.ExitCode);
            Assert.Contains("read-only", scan.Error, StringComparison.Ordinal);
        }
    }
}
