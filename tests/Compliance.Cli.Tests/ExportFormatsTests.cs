using System.Text.Json.Nodes;
using NJsonSchema;

namespace Compliance.Cli.Tests;

/// <summary>
/// compliance export sarif / ocsf / csv on the two-day example (day 1, then day 2, built-in packs): SARIF and
/// OCSF pass their published schemas and carry the second run's history (persisting, new, resolved); the
/// evidence folder has control titles and the summary per framework.
/// </summary>
public sealed class ExportFormatsTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = CliRunner.Now;
    private static readonly DateTimeOffset Day2 = CliRunner.Now.AddDays(1);

    private readonly TempFolder _temp = new();

    private string Store => _temp.File("compliance.db");

    public void Dispose() => _temp.Dispose();

    private static string SchemaFile(string name) => RepoPaths.File("functions", "Compliance.Reporting", "Data", "Schemas", name);

    private async Task ScanTwoDaysAsync()
    {
        foreach (var (at, day) in new[] { (Day1, "northwind-tenant-day1.json"), (Day2, "northwind-tenant-day2.json") })
        {
            var (code, _, error) = await CliRunner.RunAtAsync(at, "scan", "--snapshot", RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", day), "--store", Store, "--format", "json");
            Assert.True(code == 0, error);
        }
    }

    private async Task<List<JsonNode>> FindingsAsync()
    {
        var (code, json, error) = await CliRunner.RunAtAsync(Day2, "findings", "--store", Store, "--format", "json");
        Assert.True(code == 0, error);
        return JsonNode.Parse(json)!.AsArray().Select(n => n!).ToList();
    }

    [Fact]
    public async Task Sarif_of_the_second_day_passes_the_schema_with_one_result_per_problem_and_its_baseline()
    {
        await ScanTwoDaysAsync();
        var file = _temp.File("out/compliance.sarif");

        var (code, output, error) = await CliRunner.RunAtAsync(Day2, "export", "sarif", "--store", Store, "--out", file);

        Assert.True(code == 0, error);
        Assert.DoesNotContain("note:", error, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(file);
        var schema = await JsonSchema.FromFileAsync(SchemaFile("sarif-schema-2.1.0.json"));
        Assert.Empty(schema.Validate(text).Select(e => e.ToString()));
        var problems = (await FindingsAsync()).Where(f => f["outcome"]!.GetValue<string>() != "pass").ToList();
        var results = JsonNode.Parse(text)!["runs"]![0]!["results"]!.AsArray().Select(r => r!).ToList();
        Assert.Equal(problems.Count, results.Count);
        Assert.Contains($"{problems.Count} results", output, StringComparison.Ordinal);
        var regressed = problems.Single(f => f["historyStatus"]?.GetValue<string>() == "regressed");
        Assert.Equal("new", results.Single(r => r["partialFingerprints"]!["findingId/v1"]!.GetValue<string>() == regressed["findingId"]!.GetValue<string>())["baselineState"]!.GetValue<string>());
        Assert.Contains(results, r => r["baselineState"]?.GetValue<string>() == "unchanged");
        Assert.All(results, r => Assert.NotNull(r["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]));
    }

    [Fact]
    public async Task Ocsf_of_the_second_day_passes_the_schema_on_every_line_and_closes_what_was_resolved()
    {
        await ScanTwoDaysAsync();
        var file = _temp.File("findings.ocsf.jsonl");

        var (code, _, error) = await CliRunner.RunAtAsync(Day2, "export", "ocsf", "--store", Store, "--out", file);

        Assert.True(code == 0, error);
        var schema = await JsonSchema.FromFileAsync(SchemaFile("ocsf-1.8.0-compliance_finding.schema.json"));
        var lines = await File.ReadAllLinesAsync(file);
        var findings = await FindingsAsync();
        Assert.Equal(findings.Count, lines.Length);
        foreach (var line in lines)
        {
            Assert.Empty(schema.Validate(line).Select(e => e.ToString()));
        }

        var events = lines.Select(l => JsonNode.Parse(l)!).ToDictionary(e => e["finding_info"]!["uid"]!.GetValue<string>());
        foreach (var resolved in findings.Where(f => f["historyStatus"]?.GetValue<string>() == "resolved"))
        {
            var e = events[resolved["findingId"]!.GetValue<string>()];
            Assert.Equal((3, 4), (e["activity_id"]!.GetValue<int>(), e["status_id"]!.GetValue<int>()));
        }

        var newOne = findings.Single(f => f["historyStatus"]?.GetValue<string>() == "new");
        Assert.Equal(1, events[newOne["findingId"]!.GetValue<string>()]["activity_id"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_export_of_a_missing_run_is_exit_2_and_writes_nothing()
    {
        await ScanTwoDaysAsync();
        foreach (var format in new[] { "sarif", "ocsf" })
        {
            var file = _temp.File($"x.{format}");
            var (code, _, error) = await CliRunner.RunAtAsync(Day2, "export", format, "--store", Store, "--run", "20991231T000000Z-deadbeef", "--out", file);
            Assert.Equal(2, code);
            Assert.Contains("no such run", error, StringComparison.Ordinal);
            Assert.False(File.Exists(file));
        }
    }

    [Fact]
    public async Task Export_csv_writes_control_titles_and_the_summary_per_framework_and_refuses_an_unknown_framework()
    {
        await ScanTwoDaysAsync();
        var folder = _temp.File("evidence");

        var (code, output, error) = await CliRunner.RunAtAsync(Day2, "export", "csv", "--store", Store, "--out", folder);

        Assert.True(code == 0, error);
        Assert.Contains("controls-summary.csv", output, StringComparison.Ordinal);
        var controls = await File.ReadAllTextAsync(Path.Combine(folder, "controls.csv"));
        Assert.Contains("\"NIST-800-53-r5\",\"AC-17\",\"Remote Access\",", controls, StringComparison.Ordinal);
        Assert.Contains("\"CIS-Azure-3.0.0\",\"7.1\",\"Ensure that RDP access from the Internet is evaluated and restricted\",", controls, StringComparison.Ordinal);
        var summary = (await File.ReadAllLinesAsync(Path.Combine(folder, "controls-summary.csv"))).ToList();
        Assert.Equal(4, summary.Count);
        Assert.Contains(summary, l => l.Contains("\"ISO-27001-2022\",\"ISO/IEC 27001:2022 Annex A\",\"16\",", StringComparison.Ordinal) && l.EndsWith(",\"77\",\"93\"", StringComparison.Ordinal));
        Assert.True((await CliRunner.RunAtAsync(Day2, "evidence", "verify", folder)).ExitCode == 0);

        var (badCode, _, badError) = await CliRunner.RunAtAsync(Day2, "export", "csv", "--store", Store, "--framework", "CIS-Azure-2.0.0", "--out", _temp.File("bad"));
        Assert.Equal(2, badCode);
        Assert.Contains("unknown framework 'CIS-Azure-2.0.0': the known frameworks are CIS-Azure-3.0.0, ISO-27001-2022, NIST-800-53-r5", badError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("bad")));
    }
}
