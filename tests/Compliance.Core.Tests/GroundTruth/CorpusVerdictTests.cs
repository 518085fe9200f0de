using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Findings;

namespace Compliance.Core.Tests.GroundTruth;

/// <summary>
/// Every built-in rule over Microsoft's own example responses (tests/Corpus): no error, the same
/// verdict on the ARM shape and on the Resource Graph row, and every verdict pinned in
/// tests/Corpus/expected-verdicts.json (run with COMPLIANCE_APPROVE=1 to accept a deliberate change).
/// </summary>
public sealed class CorpusVerdictTests
{
    private static string ExpectedPath => Path.Combine(Corpus.Root, "expected-verdicts.json");

    [Fact]
    public void Every_corpus_file_names_its_source_and_gives_resources()
    {
        Assert.True(Corpus.Files().Count >= 30, $"{Corpus.Files().Count} corpus files");
        foreach (var file in Corpus.Files())
        {
            var source = Corpus.Source(file);
            Assert.False(string.IsNullOrWhiteSpace((string?)source["repository"]), file);
            Assert.False(string.IsNullOrWhiteSpace((string?)source["path"]), file);
            Assert.Matches("^[0-9a-f]{40}$", (string?)source["commit"] ?? string.Empty);
            Assert.NotEmpty(Corpus.Resources(file));
        }
    }

    [Fact]
    public void The_corpus_has_a_real_example_of_every_type_the_built_in_rules_read()
    {
        var inCorpus = Corpus.Files().SelectMany(Corpus.Resources).Select(r => ((string)r["type"]!).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var read = CorpusScan.Rules.Rules
            .SelectMany(r => r.Rule.ResourceTypes.Concat(r.RelatedTypes))
            .Select(t => t.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

        var missing = read.Where(t => !inCorpus.Contains(t)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "no corpus example of: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task No_built_in_rule_gives_an_error_on_a_real_shape_and_Resource_Graph_rows_give_the_same_verdicts()
    {
        var problems = new List<string>();
        foreach (var scenario in CorpusScan.Scenarios)
        {
            var arm = await CorpusScan.ScanAsync(scenario);
            var rows = await CorpusScan.ScanAsync(scenario, resourceGraphRows: true);
            problems.AddRange(arm.Concat(rows).Where(f => f.Outcome == Outcome.Error).Select(f => $"{scenario.Name}: {f.RuleId} on {f.ResourceId}: error: {f.Reason}"));

            var armVerdicts = arm.ToDictionary(f => (f.RuleId, f.ResourceId.ToLowerInvariant()), f => f.Outcome);
            var rowVerdicts = rows.ToDictionary(f => (f.RuleId, f.ResourceId.ToLowerInvariant()), f => f.Outcome);
            foreach (var key in armVerdicts.Keys.Union(rowVerdicts.Keys))
            {
                var a = armVerdicts.TryGetValue(key, out var x) ? x.ToString() : "none";
                var r = rowVerdicts.TryGetValue(key, out var y) ? y.ToString() : "none";
                if (a != r)
                {
                    problems.Add($"{scenario.Name}: {key.RuleId} on {key.Item2}: {a} as ARM returns it, {r} as a Resource Graph row");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Every_verdict_on_the_corpus_is_the_pinned_one()
    {
        var actual = new SortedDictionary<string, SortedDictionary<string, SortedDictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var scenario in CorpusScan.Scenarios)
        {
            var byResource = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
            foreach (var finding in await CorpusScan.ScanAsync(scenario))
            {
                if (!byResource.TryGetValue(finding.ResourceId, out var rules))
                {
                    byResource[finding.ResourceId] = rules = new SortedDictionary<string, string>(StringComparer.Ordinal);
                }

                rules[finding.RuleId] = finding.Outcome.ToString().ToLowerInvariant();
            }

            actual[scenario.Name] = byResource;
        }

        var text = JsonSerializer.Serialize(actual, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        if (Environment.GetEnvironmentVariable("COMPLIANCE_APPROVE") == "1")
        {
            File.WriteAllText(ExpectedPath, text, new UTF8Encoding(false));
            return;
        }

        Assert.True(File.Exists(ExpectedPath), $"no {ExpectedPath}; run the tests with COMPLIANCE_APPROVE=1 and review every verdict");
        var expected = JsonNode.Parse(File.ReadAllText(ExpectedPath))!.AsObject();
        var differences = new List<string>();
        foreach (var (scenario, resources) in actual)
        {
            foreach (var (resource, rules) in resources)
            {
                foreach (var (rule, outcome) in rules)
                {
                    var pinned = (string?)expected[scenario]?[resource]?[rule];
                    if (pinned != outcome)
                    {
                        differences.Add($"{scenario} | {resource} | {rule}: pinned {pinned ?? "nothing"}, now {outcome}");
                    }
                }
            }
        }

        foreach (var (scenario, resources) in expected)
        {
            foreach (var (resource, rules) in resources!.AsObject())
            {
                foreach (var (rule, _) in rules!.AsObject())
                {
                    if (!(actual.TryGetValue(scenario, out var r) && r.TryGetValue(resource, out var byRule) && byRule.ContainsKey(rule)))
                    {
                        differences.Add($"{scenario} | {resource} | {rule}: pinned, but no finding now");
                    }
                }
            }
        }

        Assert.True(differences.Count == 0, $"{differences.Count} verdicts differ from tests/Corpus/expected-verdicts.json (COMPLIANCE_APPROVE=1 accepts a deliberate change):{Environment.NewLine}{string.Join(Environment.NewLine, differences)}");
    }
}
