using System.Text;
using System.Text.Json.Nodes;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Compliance.Policy.Conversion;
using Compliance.Policy.Definitions;
using Compliance.Policy.Import;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Policy.Tests.Support;

/// <summary>Imports definitions (files of TestData or inline JSON) and scans snapshots with the packs they become.</summary>
internal static class PolicyHarness
{
    public static string TestData(params string[] parts) => Path.Combine([RepoPaths.TestProject(), "TestData", .. parts]);

    public static string BuiltIn(string file) => TestData("BuiltIns", file);

    public static ImportResult ImportFiles(IEnumerable<string> paths, IReadOnlyDictionary<string, string>? parameters = null) =>
        PolicyImporter.Import(DefinitionReader.Read(paths), Options(parameters));

    /// <summary>Imports inline definition documents, each named as if it were a file.</summary>
    public static ImportResult ImportJson(params (string Name, string Json)[] documents) =>
        ImportJson(null, documents);

    public static ImportResult ImportJson(IReadOnlyDictionary<string, string>? parameters, params (string Name, string Json)[] documents) =>
        PolicyImporter.Import(DefinitionReader.ReadDocuments(documents.Select(d => (d.Name, Encoding.UTF8.GetBytes(d.Json)))), Options(parameters));

    public static ImportOptions Options(IReadOnlyDictionary<string, string>? parameters) => new()
    {
        Parameters = (parameters ?? new Dictionary<string, string>()).ToDictionary(p => p.Key, p => new SuppliedValue(null, p.Value, "--param"), StringComparer.OrdinalIgnoreCase),
    };

    /// <summary>The pack an import wrote, loaded as <c>compliance scan --rules</c> loads it.</summary>
    public static RulePack Load(ImportResult result)
    {
        var loaded = RulePackLoader.Load([new RulePackInput("imported.json", result.PackBytes(), _ => false, _ => Stream.Null)]);
        Assert.False(loaded.HasErrors, string.Join(Environment.NewLine, loaded.Diagnostics));
        return Assert.Single(loaded.Packs);
    }

    public static async Task<List<Finding>> ScanAsync(RulePack pack, IEnumerable<JsonObject> resources, IEnumerable<JsonObject>? scopes = null)
    {
        var snapshot = new JsonObject
        {
            ["schemaVersion"] = 1,
            ["tenantId"] = Corpus.TenantId,
            ["collectedAt"] = Corpus.CollectedAt,
            ["scopes"] = new JsonArray([.. (scopes ?? []).Select(s => (JsonNode)s.DeepClone())]),
            ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r.DeepClone())]),
        };
        using var reader = SnapshotReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(snapshot.ToJsonString())), "snapshot.json");
        var engine = new ScanEngine(new FakeTimeProvider(DateTimeOffset.Parse(Corpus.CollectedAt, System.Globalization.CultureInfo.InvariantCulture)));
        var findings = new List<Finding>();
        await foreach (var finding in engine.ScanAsync(reader, CompiledRuleSet.Compile([pack])))
        {
            findings.Add(finding);
        }

        return findings;
    }

    /// <summary>A minimal definition around an if and a then, with parameters.</summary>
    public static string Definition(string @if, string then = """{ "effect": "audit" }""", string parameters = "{}", string mode = "Indexed", string name = "test-definition", string extra = "") => $$"""
        {
          "properties": {
            "displayName": "Test definition {{name}}",
            "policyType": "Custom",
            "mode": "{{mode}}",
            "metadata": { "version": "1.0.0", "category": "Storage" },
            "parameters": {{parameters}},
            "policyRule": {
              "if": {{@if}},
              "then": {{then}}
            }{{extra}}
          },
          "id": "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/policyDefinitions/{{name}}",
          "name": "{{name}}"
        }
        """;

    public static ConversionResult Single(ImportResult result) => Assert.Single(result.Results);
}
