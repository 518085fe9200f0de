using System.Globalization;
using System.Text.Json;
using Compliance.Core.Conditions;
using Compliance.Core.Rules;

namespace Compliance.Core.Evaluation;

/// <summary>
/// All rules of a scan, compiled once with the scan's parameter values and indexed by resource type
/// (case-insensitively: Resource Graph returns lower-case types).
/// </summary>
public sealed class CompiledRuleSet
{
    private readonly Dictionary<string, CompiledRule[]> _byType;
    private readonly Dictionary<string, (CompiledRule[] Now, CompiledRule[] Later)> _split;

    private CompiledRuleSet(IReadOnlyList<RulePack> packs, IReadOnlyList<CompiledRule> rules)
    {
        Packs = packs;
        Rules = rules;
        _byType = rules
            .SelectMany(r => r.Rule.ResourceTypes.Select(t => (Type: t, Rule: r)))
            .GroupBy(x => x.Type, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Rule).Distinct().ToArray(), StringComparer.OrdinalIgnoreCase);
        RelatedTypes = rules.SelectMany(r => r.RelatedTypes).ToHashSet(StringComparer.OrdinalIgnoreCase);
        _split = _byType.ToDictionary(
            kv => kv.Key,
            kv => (kv.Value.Where(r => !r.UsesRelated).ToArray(), kv.Value.Where(r => r.UsesRelated).ToArray()),
            StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<RulePack> Packs { get; }

    public IReadOnlyList<CompiledRule> Rules { get; }

    /// <summary>The types that related conditions count: the only resources a scan keeps in memory.</summary>
    public IReadOnlySet<string> RelatedTypes { get; }

    public IReadOnlyList<CompiledRule> ForType(string type) =>
        _byType.TryGetValue(type, out var rules) ? rules : [];

    /// <summary>
    /// The rules of a type split into those evaluated as soon as a resource is read and those that
    /// wait for the whole snapshot (they count related resources).
    /// </summary>
    internal (CompiledRule[] Now, CompiledRule[] Later) SplitForType(string type) =>
        _split.TryGetValue(type, out var split) ? split : ([], []);

    /// <summary>
    /// What a resource of <paramref name="type"/> must keep while it waits in memory: the paths the
    /// related conditions read from it as a candidate, and those its own waiting rules read.
    /// </summary>
    internal KeptPaths KeptPathsFor(string type, bool forWaitingRules)
    {
        lock (_kept)
        {
            if (!_kept.TryGetValue((type, forWaitingRules), out var kept))
            {
                // Messages read too: what they show of a related match, and of a resource that waits.
                var paths = Rules.SelectMany(r => r.Reads.Related.TryGetValue(type, out var p) ? p.Concat(r.Rule.Message?.MatchPaths ?? []) : []);
                if (forWaitingRules)
                {
                    paths = paths.Concat(ForType(type).Where(r => r.UsesRelated).SelectMany(r => r.Reads.Own.Concat(r.Rule.Message?.ResourcePaths ?? [])));
                }

                _kept[(type, forWaitingRules)] = kept = KeptPaths.From(paths);
            }

            return kept;
        }
    }

    private readonly Dictionary<(string, bool), KeptPaths> _kept = new(new KeptKeyComparer());

    private sealed class KeptKeyComparer : IEqualityComparer<(string Type, bool Waiting)>
    {
        public bool Equals((string Type, bool Waiting) x, (string Type, bool Waiting) y) =>
            x.Waiting == y.Waiting && string.Equals(x.Type, y.Type, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Type, bool Waiting) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Type), obj.Waiting);
    }

    /// <summary>
    /// Compiles packs. <paramref name="overrides"/> maps "name" or "packId.name" to a value as typed on a
    /// command line ("5", "true", "[1433,3306]"); an unknown name or a value of the wrong type throws
    /// <see cref="RuleValidationException"/> naming the parameter.
    /// </summary>
    public static CompiledRuleSet Compile(IReadOnlyList<RulePack> packs, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var typed = ParseOverrides(packs, overrides ?? new Dictionary<string, string>());
        return Compile(packs, pack => typed.TryGetValue(pack.Id, out var values) ? values : null);
    }

    internal static CompiledRuleSet Compile(IReadOnlyList<RulePack> packs, Func<RulePack, IReadOnlyDictionary<string, JsonElement>?> overridesOf)
    {
        var diagnostics = new List<RuleDiagnostic>();
        var compiled = new List<CompiledRule>();
        foreach (var pack in packs)
        {
            var overrides = overridesOf(pack);
            var values = new ParameterValues(pack.Parameters, overrides);
            foreach (var rule in pack.Rules)
            {
                // The loader compiled the rule with the pack's defaults; only other values compile it again.
                var compilation = overrides is { Count: > 0 } || rule.Compiled is null
                    ? RuleCompilation.Compile(pack.SourcePath, rule.Source.Where, rule.Source.Condition, values)
                    : rule.Compiled;
                diagnostics.AddRange(compilation.Diagnostics);
                if (compilation.Succeeded)
                {
                    var shown = overrides is { Count: > 0 } ? rule.WithText(values.ValueOf) : rule;
                    compiled.Add(new CompiledRule(shown, pack, compilation.Where, compilation.Condition!, compilation.Reads));
                }
            }
        }

        if (diagnostics.Count > 0)
        {
            throw new RuleValidationException(diagnostics);
        }

        return new CompiledRuleSet(packs, compiled);
    }

    private static Dictionary<string, Dictionary<string, JsonElement>> ParseOverrides(IReadOnlyList<RulePack> packs, IReadOnlyDictionary<string, string> overrides)
    {
        var result = new Dictionary<string, Dictionary<string, JsonElement>>(StringComparer.OrdinalIgnoreCase);
        var diagnostics = new List<RuleDiagnostic>();
        foreach (var (key, text) in overrides)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            var packId = dot > 0 ? key[..dot] : null;
            var name = dot > 0 ? key[(dot + 1)..] : key;
            var targets = packs.Where(p => (packId is null || p.Id.Equals(packId, StringComparison.OrdinalIgnoreCase)) && p.Parameters.ContainsKey(name)).ToList();
            var location = new SourceLocation("parameter override", 1, 1, key);
            if (targets.Count == 0)
            {
                var all = packs.SelectMany(p => p.Parameters.Keys.Select(k => $"{p.Id}.{k}")).ToList();
                diagnostics.Add(new RuleDiagnostic(location, $"no loaded pack declares a parameter '{key}'{Suggestions.DidYouMean(key, all.Concat(packs.SelectMany(p => p.Parameters.Keys)))} (declared: {(all.Count == 0 ? "none" : string.Join(", ", all))})"));
                continue;
            }

            foreach (var pack in targets)
            {
                var parameter = pack.Parameters[name];
                if (!TryConvert(parameter.Type, text, out var value))
                {
                    diagnostics.Add(new RuleDiagnostic(location, $"'{text}' is not a valid {parameter.Type.ToString().ToLowerInvariant()} for parameter '{name}' of pack {pack.Id}"));
                    continue;
                }

                if (parameter.AllowedValues is { } allowed && !allowed.Any(a => ValueComparer.DeepEquals(a, value)))
                {
                    diagnostics.Add(new RuleDiagnostic(location, $"'{text}' is not an allowed value of parameter '{name}' of pack {pack.Id} (allowed: {string.Join(", ", allowed.Select(Describe.Value))})"));
                    continue;
                }

                if (!result.TryGetValue(pack.Id, out var values))
                {
                    result[pack.Id] = values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
                }

                values[name] = value;
            }
        }

        if (diagnostics.Count > 0)
        {
            throw new RuleValidationException(diagnostics);
        }

        return result;
    }

    private static bool TryConvert(RuleParameterType type, string text, out JsonElement value)
    {
        value = default;
        try
        {
            switch (type)
            {
                case RuleParameterType.String:
                    value = JsonSerializer.SerializeToElement(text);
                    return true;
                case RuleParameterType.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l):
                    value = JsonSerializer.SerializeToElement(l);
                    return true;
                case RuleParameterType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                    value = JsonSerializer.SerializeToElement(d);
                    return true;
                case RuleParameterType.Boolean when bool.TryParse(text, out var b):
                    value = JsonSerializer.SerializeToElement(b);
                    return true;
                case RuleParameterType.Array or RuleParameterType.Object:
                    using (var document = JsonDocument.Parse(text))
                    {
                        value = document.RootElement.Clone();
                    }

                    return ParameterTypes.Check(type, value) is null;
                default:
                    return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
