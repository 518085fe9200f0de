using System.Text;
using System.Text.Json.Nodes;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Core.Tests.GroundTruth;

/// <summary>The built-in rules run over corpus scenarios, as a scan runs them.</summary>
internal static class CorpusScan
{
    private static readonly Lazy<CompiledRuleSet> BuiltIn = new(() =>
        CompiledRuleSet.Compile(RulePackLoader.Load(RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow()));

    private static readonly Lazy<IReadOnlyList<Corpus.Scenario>> AllScenarios = new(Corpus.Scenarios);

    public static CompiledRuleSet Rules => BuiltIn.Value;

    public static IReadOnlyList<Corpus.Scenario> Scenarios => AllScenarios.Value;

    public static Corpus.Scenario Scenario(string name) => Scenarios.Single(s => s.Name == name);

    /// <summary>The findings of a scenario, in the shape given (ARM as published, or Resource Graph rows).</summary>
    public static async Task<List<Finding>> ScanAsync(Corpus.Scenario scenario, bool resourceGraphRows = false)
    {
        IEnumerable<JsonObject> resources = scenario.Resources;
        if (resourceGraphRows)
        {
            resources = resources.Select(Corpus.AsResourceGraphRow);
        }

        var snapshot = Corpus.Snapshot(resources);
        using var reader = SnapshotReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(snapshot)), $"corpus: {scenario.Name}");
        var findings = new List<Finding>();
        var engine = new ScanEngine(new FakeTimeProvider(DateTimeOffset.Parse(Corpus.CollectedAt, System.Globalization.CultureInfo.InvariantCulture)));
        await foreach (var finding in engine.ScanAsync(reader, Rules))
        {
            findings.Add(finding);
        }

        return findings;
    }

    /// <summary>The outcome of one rule on one resource of a scenario (the resource named by the end of its id).</summary>
    public static async Task<Outcome> OutcomeAsync(string scenario, string ruleId, string resourceIdEnd)
    {
        var findings = await ScanAsync(Scenario(scenario));
        var matching = findings.Where(f => f.RuleId == ruleId && f.ResourceId.EndsWith(resourceIdEnd, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(matching.Count == 1, $"{scenario}: {matching.Count} findings of {ruleId} on …{resourceIdEnd}");
        return matching[0].Outcome;
    }
}
