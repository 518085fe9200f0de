using System.Text;
using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Compliance.Reporting.Exports;
using NJsonSchema;

namespace Compliance.Reporting.Tests.Exports;

/// <summary>
/// SARIF and OCSF of the sample tenant's run, validated against the published schemas committed in
/// functions/Compliance.Reporting/Data/Schemas (sources in Data/README.md) and compared with approved files.
/// </summary>
public sealed class ExportSchemaTests
{
    private static readonly Lazy<Task<SampleRun>> Sample = new(SampleRun.ScanAsync);

    private static string SchemaFile(string name) => RepoPaths.File("functions", "Compliance.Reporting", "Data", "Schemas", name);

    internal static async Task<string> SarifAsync(SampleRun sample)
    {
        using var output = new MemoryStream();
        await new SarifExporter(sample).WriteAsync(sample.Run, output, SampleRun.ToolVersion, sample.Docs);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    internal static async Task<string> OcsfAsync(SampleRun sample)
    {
        using var output = new MemoryStream();
        await new OcsfExporter(sample).WriteAsync(sample.Run, output, SampleRun.ToolVersion, sample.Docs);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task The_sample_as_SARIF_passes_the_SARIF_2_1_0_schema_and_matches_the_approved_file()
    {
        var sample = await Sample.Value;
        var sarif = await SarifAsync(sample);

        var schema = await JsonSchema.FromFileAsync(SchemaFile("sarif-schema-2.1.0.json"));
        Assert.Empty(schema.Validate(sarif).Select(e => e.ToString()));
        var results = JsonNode.Parse(sarif)!["runs"]![0]!["results"]!.AsArray();
        Assert.Equal(sample.Findings.Count(f => f.Finding.Outcome != Outcome.Pass), results.Count);
        Golden.Verify("sample.approved.sarif", sarif);
    }

    [Fact]
    public async Task The_sample_as_OCSF_passes_the_compliance_finding_schema_on_every_line_and_matches_the_approved_file()
    {
        var sample = await Sample.Value;
        var ocsf = await OcsfAsync(sample);

        var schema = await JsonSchema.FromFileAsync(SchemaFile("ocsf-1.8.0-compliance_finding.schema.json"));
        var lines = ocsf.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(sample.Findings.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var errors = schema.Validate(lines[i]).Select(e => e.ToString()).ToList();
            Assert.True(errors.Count == 0, $"line {i + 1}: {string.Join("; ", errors)}");
        }

        Golden.Verify("sample.approved.ocsf.jsonl", ocsf);
    }

    [Fact]
    public async Task The_schemas_refuse_what_breaks_them_so_the_validation_can_fail()
    {
        var sample = await Sample.Value;
        var sarif = JsonNode.Parse(await SarifAsync(sample))!;
        sarif["runs"]![0]!["results"]![0]!["level"] = "critical";
        var sarifSchema = await JsonSchema.FromFileAsync(SchemaFile("sarif-schema-2.1.0.json"));
        Assert.NotEmpty(sarifSchema.Validate(sarif.ToJsonString()));

        var line = JsonNode.Parse((await OcsfAsync(sample)).Split('\n')[0])!;
        var ocsfSchema = await JsonSchema.FromFileAsync(SchemaFile("ocsf-1.8.0-compliance_finding.schema.json"));
        var wrongClass = line.DeepClone();
        wrongClass["class_uid"] = 2004;
        Assert.NotEmpty(ocsfSchema.Validate(wrongClass.ToJsonString()));
        var noFindingUid = line.DeepClone();
        noFindingUid["finding_info"]!.AsObject().Remove("uid");
        Assert.NotEmpty(ocsfSchema.Validate(noFindingUid.ToJsonString()));
        var unknownField = line.DeepClone();
        unknownField["compliance"]!["verdict"] = "pass";
        Assert.NotEmpty(ocsfSchema.Validate(unknownField.ToJsonString()));
    }

    [Fact]
    public async Task SARIF_levels_follow_severity_an_error_is_for_review_and_a_suppression_is_accepted()
    {
        var sample = await Sample.Value;
        var run = JsonNode.Parse(await SarifAsync(sample))!["runs"]![0]!;
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        var results = run["results"]!.AsArray().Select(r => r!).ToList();

        var critical = results.First(r => r["properties"]!["severity"]!.GetValue<string>() == "critical" && r["properties"]!["outcome"]!.GetValue<string>() == "fail");
        Assert.Equal(("fail", "error"), (critical["kind"]!.GetValue<string>(), critical["level"]!.GetValue<string>()));
        var rule = rules[critical["ruleIndex"]!.GetValue<int>()]!;
        Assert.Equal(critical["ruleId"]!.GetValue<string>(), rule["id"]!.GetValue<string>());
        Assert.Equal("9.5", rule["properties"]!["security-severity"]!.GetValue<string>());
        Assert.StartsWith("https://", rule["helpUri"]!.GetValue<string>(), StringComparison.Ordinal);

        var scopeError = results.Single(r => r["ruleId"]!.GetValue<string>() == "COLLECTION-SCOPE");
        Assert.Equal(("review", "none"), (scopeError["kind"]!.GetValue<string>(), scopeError["level"]!.GetValue<string>()));
        Assert.Equal("/subscriptions/c5d7e9f1-2a4b-4c6d-8e0f-1a3b5c7d9e02", scopeError["locations"]![0]!["logicalLocations"]![0]!["fullyQualifiedName"]!.GetValue<string>());
        var notification = Assert.Single(run["invocations"]![0]!["toolExecutionNotifications"]!.AsArray())!;
        Assert.Contains("403", notification["message"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var suppressed = results.Single(r => r["properties"]!["outcome"]!.GetValue<string>() == "suppressed");
        var suppression = Assert.Single(suppressed["suppressions"]!.AsArray())!;
        Assert.Equal(("external", "accepted", "dev-scratch-http"), (suppression["kind"]!.GetValue<string>(), suppression["status"]!.GetValue<string>(), suppression["properties"]!["suppressionId"]!.GetValue<string>()));

        Assert.All(results, r => Assert.Equal("new", r["baselineState"]!.GetValue<string>()));
        Assert.Equal(results.Count, results.Select(r => r["partialFingerprints"]!["findingId/v1"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task OCSF_compliance_status_comes_from_the_outcome_and_standards_from_the_controls()
    {
        var sample = await Sample.Value;
        var events = (await OcsfAsync(sample)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var byId = events.ToDictionary(e => e["finding_info"]!["uid"]!.GetValue<string>());

        foreach (var stored in sample.Findings)
        {
            var e = byId[stored.Finding.FindingId];
            var expected = stored.Finding.Outcome switch { Outcome.Pass => (1, "Pass"), Outcome.Error => (2, "Warning"), _ => (3, "Fail") };
            Assert.Equal(expected, (e["compliance"]!["status_id"]!.GetValue<int>(), e["compliance"]!["status"]!.GetValue<string>()));
            Assert.Equal(2003, e["class_uid"]!.GetValue<int>());
            Assert.Equal(200300 + e["activity_id"]!.GetValue<int>(), e["type_uid"]!.GetValue<int>());
            Assert.Equal(stored.Finding.ResourceId, e["resources"]![0]!["uid"]!.GetValue<string>());
            Assert.Equal(stored.Finding.Outcome == Outcome.Suppressed ? 3 : 1, e["status_id"]!.GetValue<int>());
        }

        var tls = byId[sample.Findings.First(f => f.Finding.Controls.ContainsKey("NIST-800-53-r5") && f.Finding.Controls.ContainsKey("CIS-Azure-3.0.0")).Finding.FindingId];
        var standards = tls["compliance"]!["standards"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Contains("NIST SP 800-53 Rev. 5", standards);
        Assert.Contains("CIS Microsoft Azure Foundations Benchmark v3.0.0", standards);
        Assert.Contains(tls["compliance"]!["requirements"]!.AsArray(), r => r!.GetValue<string>().StartsWith("NIST-800-53-r5 ", StringComparison.Ordinal));
    }
}
