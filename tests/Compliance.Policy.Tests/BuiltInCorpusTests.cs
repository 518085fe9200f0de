using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Compliance.Policy.Conversion;
using Compliance.Policy.Tests.Support;

namespace Compliance.Policy.Tests;

/// <summary>
/// Built-in Azure Policy definitions, imported unchanged, run on Microsoft's own example responses
/// (tests/Corpus): each gives pass on one resource and fail on a copy with one property changed, in
/// the ARM shape and as a Resource Graph row. The cases are in TestData/builtin-cases.json.
/// </summary>
public sealed class BuiltInCorpusTests
{
    private static readonly Lazy<JsonArray> Cases = new(() => (JsonArray)JsonNode.Parse(File.ReadAllText(PolicyHarness.TestData("builtin-cases.json")))!["cases"]!);

    public static TheoryData<string, string> Verdicts()
    {
        var data = new TheoryData<string, string>();
        foreach (var node in Cases.Value)
        {
            data.Add((string)node!["definition"]!, "pass");
            data.Add((string)node["definition"]!, "fail");
        }

        return data;
    }

    [Fact]
    public void At_least_thirty_built_ins_across_firewall_encryption_patching_and_access_have_cases()
    {
        var areas = Cases.Value.GroupBy(c => (string)c!["area"]!).ToDictionary(g => g.Key, g => g.Count());

        Assert.True(Cases.Value.Count >= 30, $"{Cases.Value.Count} cases");
        foreach (var area in new[] { "firewall", "encryption", "patching", "access" })
        {
            Assert.True(areas.GetValueOrDefault(area) >= 4, $"{area}: {areas.GetValueOrDefault(area)} cases");
        }
    }

    [Fact]
    public void Every_definition_of_the_cases_is_committed_with_its_source()
    {
        var sources = (JsonObject)JsonNode.Parse(File.ReadAllText(PolicyHarness.BuiltIn("SOURCES.json")))!["files"]!;
        foreach (var file in Directory.EnumerateFiles(PolicyHarness.TestData("BuiltIns"), "*.json").Select(Path.GetFileName).Where(f => f != "SOURCES.json"))
        {
            var source = sources[file!];
            Assert.True(source is not null, $"{file} has no entry in SOURCES.json");
            Assert.Equal("Azure/azure-policy", (string)source!["repository"]!);
            Assert.Matches("^[0-9a-f]{40}$", (string)source["commit"]!);
        }
    }

    [Theory]
    [MemberData(nameof(Verdicts))]
    public async Task The_imported_built_in_gives_the_expected_verdict_on_real_shapes(string definition, string expect)
    {
        var entry = Cases.Value.Single(c => (string)c!["definition"]! == definition)!;
        var result = PolicyHarness.ImportFiles([PolicyHarness.BuiltIn(definition)]);
        var conversion = PolicyHarness.Single(result);
        Assert.True(conversion.Status == ConversionStatus.Converted, $"{definition}: {conversion.Status}: {string.Join("; ", conversion.Problems)}");
        var pack = PolicyHarness.Load(result);
        var rule = Assert.Single(pack.Rules);
        var resources = ((JsonArray)entry[expect]!).Select(r => Build((JsonObject)r!)).ToList();
        var target = resources.First(r => rule.ResourceTypes.Any(t => t.Equals((string)r["type"]!, StringComparison.OrdinalIgnoreCase)));

        foreach (var (shape, snapshot) in new[] { ("ARM", resources), ("Resource Graph", resources.Select(Corpus.AsResourceGraphRow).ToList()) })
        {
            var findings = await PolicyHarness.ScanAsync(pack, snapshot);
            var finding = findings.SingleOrDefault(f => f.ResourceId.Equals((string)target["id"]!, StringComparison.OrdinalIgnoreCase));
            Assert.True(finding is not null, $"{definition} ({shape}): no finding for {target["id"]}; findings: {string.Join(", ", findings.Select(f => f.ResourceId))}");
            Assert.True(finding.Outcome.ToWire() == expect, $"{definition} ({shape}): expected {expect}, got {finding.Outcome.ToWire()}: {finding.Reason}");
        }
    }

    private static JsonObject Build(JsonObject spec)
    {
        var all = Corpus.Resources((string)spec["from"]!);
        var resource = (JsonObject)(spec["index"] is { } index ? all[(int)index] : all[0]).DeepClone();
        if (spec["set"] is JsonObject changes)
        {
            foreach (var (path, value) in changes)
            {
                Corpus.Set(resource, path, value?.DeepClone());
            }
        }

        return resource;
    }
}
