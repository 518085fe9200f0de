using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Evaluation;
using Compliance.Core.Rules;

namespace Compliance.Core.Tests.GroundTruth;

/// <summary>
/// "Absent is a decision": rules/facts/defaults.json says, for every property a built-in rule
/// reads, what Azure does when it is missing and where that is written; the rules point to it, and
/// a threshold in a title is a parameter, never a stale number.
/// </summary>
public sealed partial class DefaultsTableTests
{
    private static readonly string[] Categories = ["default-safe", "default-unsafe", "always-returned", "child-not-collected", "not-set", "envelope"];

    private static readonly Lazy<IReadOnlyList<RulePack>> Packs = new(() =>
        RulePackLoader.Load(RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow());

    private static readonly Lazy<JsonDocument> Table = new(() => JsonDocument.Parse(File.ReadAllText(RepoPaths.File("rules", "facts", "defaults.json"))));

    /// <summary>The entries of one resource type (types match in any case), by path in lower case.</summary>
    private static Dictionary<string, JsonElement>? EntriesOf(string type)
    {
        foreach (var t in Table.Value.RootElement.GetProperty("types").EnumerateObject())
        {
            if (t.Name.Equals(type, StringComparison.OrdinalIgnoreCase))
            {
                return t.Value.EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!.ToLowerInvariant(), e => e);
            }
        }

        return null;
    }

    /// <summary>Every (type, path) a compiled rule reads: from the resources it applies to, and from each related type.</summary>
    private static IEnumerable<(string Type, string Path)> Reads(CompiledRule rule)
    {
        foreach (var type in rule.Rule.ResourceTypes)
        {
            foreach (var path in rule.Reads.OwnPaths)
            {
                yield return (type, path);
            }
        }

        foreach (var type in rule.RelatedTypes)
        {
            yield return (type, "(exists)");
        }

        foreach (var (type, paths) in rule.Reads.RelatedPaths)
        {
            foreach (var path in paths)
            {
                yield return (type, path);
            }
        }
    }

    [Fact]
    public void Every_entry_says_what_absent_means_and_where_that_is_written()
    {
        var root = Table.Value.RootElement;
        Assert.All(Categories, c => Assert.True(root.GetProperty("absent").TryGetProperty(c, out _), c));
        var count = 0;
        foreach (var type in root.GetProperty("types").EnumerateObject())
        {
            var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in type.Value.EnumerateArray())
            {
                count++;
                var path = entry.GetProperty("path").GetString()!;
                var where = $"{type.Name} {path}";
                Assert.True(paths.Add(path), $"{where} is listed twice");
                Assert.Contains(entry.GetProperty("absent").GetString(), Categories);
                Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("means").GetString()), where);
                Assert.True(entry.GetProperty("checked").ValueKind is JsonValueKind.True or JsonValueKind.False, where);
                var source = entry.GetProperty("source").GetString()!;
                if (source.StartsWith("tests/Corpus/", StringComparison.Ordinal))
                {
                    Assert.True(File.Exists(RepoPaths.File(source.Split('/'))), $"{where}: {source} does not exist");
                }
                else
                {
                    Assert.True(source.StartsWith("https://learn.microsoft.com/", StringComparison.Ordinal) || source.StartsWith("https://techcommunity.microsoft.com/", StringComparison.Ordinal), $"{where}: {source} is not a Microsoft source");
                }
            }
        }

        Assert.True(count >= 100, $"{count} entries");
    }

    [Fact]
    public void Every_property_a_built_in_rule_reads_is_in_the_table()
    {
        var rules = CompiledRuleSet.Compile(Packs.Value);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules.Rules)
        {
            foreach (var (type, path) in Reads(rule))
            {
                if (EntriesOf(type) is not { } entries || !entries.ContainsKey(path.ToLowerInvariant()))
                {
                    missing.Add($"{rule.Rule.Id}: {type} {path}");
                }
            }
        }

        Assert.True(missing.Count == 0, "rules/facts/defaults.json has no entry for:" + Environment.NewLine + string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void The_table_has_no_entry_that_no_rule_reads()
    {
        var rules = CompiledRuleSet.Compile(Packs.Value);
        var read = rules.Rules.SelectMany(Reads).Select(r => $"{r.Type.ToLowerInvariant()} {r.Path.ToLowerInvariant()}").ToHashSet(StringComparer.Ordinal);
        var unread = new List<string>();
        foreach (var type in Table.Value.RootElement.GetProperty("types").EnumerateObject())
        {
            foreach (var entry in type.Value.EnumerateArray())
            {
                var key = $"{type.Name.ToLowerInvariant()} {entry.GetProperty("path").GetString()!.ToLowerInvariant()}";
                if (!read.Contains(key))
                {
                    unread.Add(key);
                }
            }
        }

        Assert.True(unread.Count == 0, "entries no built-in rule reads (remove them or the rule lost a condition):" + Environment.NewLine + string.Join(Environment.NewLine, unread));
    }

    [Fact]
    public void Every_rule_points_to_the_table_and_names_the_properties_whose_default_decides_its_verdict()
    {
        var rules = CompiledRuleSet.Compile(Packs.Value);
        var problems = new List<string>();
        foreach (var rule in rules.Rules)
        {
            var notes = rule.Rule.Notes ?? string.Empty;
            if (!notes.Contains("rules/facts/defaults.json", StringComparison.Ordinal))
            {
                problems.Add($"{rule.Rule.Id}: notes do not point to rules/facts/defaults.json");
                continue;
            }

            foreach (var (type, path) in Reads(rule).Distinct())
            {
                if (EntriesOf(type)?.GetValueOrDefault(path.ToLowerInvariant()) is not { ValueKind: JsonValueKind.Object } entry)
                {
                    continue;
                }

                var absent = entry.GetProperty("absent").GetString();
                var leaf = path.Split('.')[^1].Replace("[*]", string.Empty, StringComparison.Ordinal);
                if (absent is "default-safe" or "default-unsafe" && !notes.Contains(leaf, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{rule.Rule.Id}: the table decides {type} {path} ({absent}) but the notes do not mention {leaf}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void A_threshold_in_a_title_is_a_parameter_placeholder_not_a_number()
    {
        // Titles as written in the packs: the loaded rule shows them with the values in force.
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.File("rules"), "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var thresholds = doc.RootElement.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateObject().SelectMany(p => Values(p.Value.GetProperty("default"))).ToHashSet(StringComparer.OrdinalIgnoreCase)
                : [];
            foreach (var rule in doc.RootElement.GetProperty("rules").EnumerateArray())
            {
                var title = rule.GetProperty("title").GetString()!;
                foreach (Match token in Token().Matches(Placeholder().Replace(title, " ")))
                {
                    if (thresholds.Contains(token.Value))
                    {
                        problems.Add($"{rule.GetProperty("id").GetString()} title '{title}': {token.Value} is the default of a parameter; write the parameter's name in braces so that the title shows the value in force");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// The numbers a parameter default stands for: numbers, the day count of a duration (P90D → 90),
    /// version-like strings (1.33, TLSv1.2 → 1.2), and the same inside arrays.
    /// </summary>
    private static IEnumerable<string> Values(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                yield return value.GetRawText();
                break;
            case JsonValueKind.String:
                var text = value.GetString()!;
                var days = Duration().Match(text);
                if (days.Success)
                {
                    yield return days.Groups[1].Value;
                }
                else
                {
                    foreach (Match m in Token().Matches(text))
                    {
                        yield return m.Value.TrimEnd('.');
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray().SelectMany(Values))
                {
                    yield return item;
                }

                break;
        }
    }

    [GeneratedRegex(@"\{[A-Za-z][A-Za-z0-9_]*\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[0-9][0-9.]*")]
    private static partial Regex Token();

    [GeneratedRegex(@"^P([0-9]+)D$")]
    private static partial Regex Duration();
}
