using System.Text.Json.Nodes;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Compliance.Policy.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Policy.Tests;

/// <summary>
/// Each imported built-in that has a hand-written twin in rules/ is scanned beside it on the bundled
/// sample tenant; every resource on which they disagree is listed, with the reason, in
/// TestData/twin-differences.json. A new disagreement (or one that went away) fails the test until
/// the file says why (COMPLIANCE_APPROVE=1 writes what the test saw, keeping the explanations).
/// </summary>
public sealed class TwinComparisonTests
{
    [Fact]
    public async Task Imported_built_ins_agree_with_their_hand_written_twins_on_the_sample_tenant_or_the_difference_is_explained()
    {
        var cases = (JsonArray)JsonNode.Parse(File.ReadAllText(PolicyHarness.TestData("builtin-cases.json")))!["cases"]!;
        var builtIn = RulePackLoader.Load(RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow();
        var differencesPath = PolicyHarness.TestData("twin-differences.json");
        var known = File.Exists(differencesPath) ? (JsonObject)JsonNode.Parse(File.ReadAllText(differencesPath))!["differences"]! : [];
        var seen = new JsonObject();
        var compared = 0;
        foreach (var entry in cases.Where(c => c!["twin"] is not null))
        {
            var definition = (string)entry!["definition"]!;
            var twinId = (string)entry["twin"]!;
            var imported = PolicyHarness.Load(PolicyHarness.ImportFiles([PolicyHarness.BuiltIn(definition)]));
            var twinPack = builtIn.Single(p => p.Rules.Any(r => r.Id == twinId));
            var twin = twinPack with { Rules = [twinPack.Rules.Single(r => r.Id == twinId)] };
            var ours = Outcomes(await ScanSampleAsync(imported));
            var theirs = Outcomes(await ScanSampleAsync(twin));
            compared++;
            var differing = new JsonObject();
            foreach (var resource in ours.Keys.Union(theirs.Keys).Order(StringComparer.Ordinal))
            {
                var a = ours.GetValueOrDefault(resource, "none");
                var b = theirs.GetValueOrDefault(resource, "none");
                if (a != b)
                {
                    differing[resource] = $"imported {a}, {twinId} {b}";
                }
            }

            if (differing.Count > 0)
            {
                seen[definition] = new JsonObject
                {
                    ["twin"] = twinId,
                    ["why"] = known[definition]?["why"]?.DeepClone() ?? "UNEXPLAINED",
                    ["resources"] = differing,
                };
            }
        }

        Assert.True(compared >= 20, $"only {compared} built-ins have a twin");
        var written = new JsonObject { ["$comment"] = "Resources of samples/northwind-tenant.json on which an imported built-in and its hand-written twin disagree, and why.", ["differences"] = seen };
        if (Environment.GetEnvironmentVariable("COMPLIANCE_APPROVE") == "1")
        {
            File.WriteAllText(Path.Combine(RepoPaths.TestProject(), "TestData", "twin-differences.json"), written.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        var unexplained = seen.Where(d => (string)d.Value!["why"]! == "UNEXPLAINED").Select(d => $"{d.Key}: {d.Value!["resources"]!.ToJsonString()}").ToList();
        Assert.True(unexplained.Count == 0, "disagreements without an explanation in twin-differences.json:\n" + string.Join("\n", unexplained));
        var expected = known.Select(k => $"{k.Key}: {k.Value!["resources"]!.ToJsonString()}").Order(StringComparer.Ordinal).ToList();
        var actual = seen.Select(k => $"{k.Key}: {k.Value!["resources"]!.ToJsonString()}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    private static Dictionary<string, string> Outcomes(List<Finding> findings) =>
        findings.Where(f => f.RuleId != ScanEngine.CollectionRuleId).GroupBy(f => f.ResourceName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Outcome.ToWire(), StringComparer.Ordinal);

    private static async Task<List<Finding>> ScanSampleAsync(RulePack pack)
    {
        using var reader = SnapshotReader.Open(File.OpenRead(RepoPaths.File("samples", "northwind-tenant.json")), "northwind-tenant.json");
        var engine = new ScanEngine(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var findings = new List<Finding>();
        await foreach (var finding in engine.ScanAsync(reader, CompiledRuleSet.Compile([pack])))
        {
            findings.Add(finding);
        }

        return findings;
    }
}
