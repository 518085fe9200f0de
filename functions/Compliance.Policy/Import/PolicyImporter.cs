using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Conditions;
using Compliance.Core.Rules;
using Compliance.Policy.Aliases;
using Compliance.Policy.Conversion;
using Compliance.Policy.Definitions;
using Compliance.Policy.Mapping;
using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Import;

/// <summary>How to import: the alias catalog, the parameter values given, the severities, the pack's name.</summary>
public sealed record ImportOptions
{
    public AliasCatalog Aliases { get; init; } = AliasCatalog.Bundled;

    /// <summary>Values for parameters, by name: --param (text) and --params files (JSON), applied to every definition and initiative that declares the name.</summary>
    public IReadOnlyDictionary<string, SuppliedValue> Parameters { get; init; } = new Dictionary<string, SuppliedValue>(StringComparer.OrdinalIgnoreCase);

    public SeverityMap Severities { get; init; } = SeverityMap.Bundled();

    /// <summary>The pack id; by default from the single initiative imported, else "azure-policy".</summary>
    public string? PackId { get; init; }

    public string? PackTitle { get; init; }

    /// <summary>The assignments read from ARM (<c>--live</c>): what to import, with their parameter values.</summary>
    public IReadOnlyList<PolicyAssignment>? Assignments { get; init; }
}

/// <summary>A policy assignment read from ARM: the definition or initiative it assigns and the values it gives.</summary>
/// <param name="Id">The assignment's resource id (policy().assignmentId).</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="DefinitionId">The policy definition or policy set definition assigned.</param>
/// <param name="Parameters">The assignment's parameter values (name → value).</param>
public sealed record PolicyAssignment(string Id, string DisplayName, string DefinitionId, IReadOnlyDictionary<string, JsonElement> Parameters);

/// <summary>What an import produced: the pack, and what happened to each definition.</summary>
public sealed class ImportResult
{
    public required JObject Pack { get; init; }

    public required IReadOnlyList<ConversionResult> Results { get; init; }

    /// <summary>Inputs passed over (a second copy of a definition) and other remarks.</summary>
    public required IReadOnlyList<RuleDiagnostic> Notes { get; init; }

    public IEnumerable<ConversionResult> Converted => Results.Where(r => r.Status == ConversionStatus.Converted);

    public IEnumerable<ConversionResult> Skipped => Results.Where(r => r.Status == ConversionStatus.Skipped);

    public IEnumerable<ConversionResult> Unsupported => Results.Where(r => r.Status == ConversionStatus.Unsupported);

    /// <summary>The pack as it is written: indented JSON, UTF-8 without a byte order mark, ending with a newline.</summary>
    public byte[] PackBytes() => Encoding.UTF8.GetBytes(Pack.ToString(Newtonsoft.Json.Formatting.Indented).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
}

/// <summary>
/// Imports Azure Policy definitions and initiatives into one rule pack. With initiatives among the
/// inputs, their members are imported (looked up among the other inputs by id, then by name) with the
/// values the initiative gives them and the controls of their groups; without, every definition is.
/// With assignments (<c>--live</c>), what they assign is imported with their values. A parameter value
/// that no imported definition or initiative declares is bad input; anything a definition cannot be
/// converted for is reported with it, and the other definitions are still imported.
/// </summary>
public static partial class PolicyImporter
{
    public static ImportResult Import(DefinitionSet inputs, ImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        var byId = new Dictionary<string, PolicyDefinition>(StringComparer.OrdinalIgnoreCase);
        var byName = new Dictionary<string, PolicyDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in inputs.Definitions)
        {
            byId.TryAdd(definition.Id, definition);
            byName.TryAdd(definition.Name, definition);
        }

        var initiativesById = inputs.Initiatives.ToDictionary(i => i.Id, StringComparer.OrdinalIgnoreCase);
        var notes = new List<RuleDiagnostic>(inputs.Notes);
        var planned = new List<Planned>();
        var missing = new List<ConversionResult>();
        var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        if (options.Assignments is { } assignments)
        {
            foreach (var assignment in assignments)
            {
                var values = assignment.Parameters.ToDictionary(p => p.Key, p => new SuppliedValue(p.Value, null, $"assignment '{assignment.DisplayName}'"), StringComparer.OrdinalIgnoreCase);
                if (initiativesById.TryGetValue(assignment.DefinitionId, out var initiative))
                {
                    PlanInitiative(initiative, Merge(options.Parameters, values), assignment, byId, byName, planned, missing, declared);
                }
                else if (byId.TryGetValue(assignment.DefinitionId, out var definition))
                {
                    Declare(definition.Parameters, declared);
                    planned.Add(new Planned(definition, Merge(options.Parameters, values), null, [], [], PolicyObject(assignment, definition.Id, null, null)));
                }
            }
        }
        else if (inputs.Initiatives.Count > 0)
        {
            foreach (var initiative in inputs.Initiatives)
            {
                PlanInitiative(initiative, options.Parameters, null, byId, byName, planned, missing, declared);
            }
        }
        else
        {
            foreach (var definition in inputs.Definitions)
            {
                Declare(definition.Parameters, declared);
                planned.Add(new Planned(definition, options.Parameters, null, [], [], null));
            }
        }

        var unknown = options.Parameters.Keys.Where(k => !declared.Contains(k)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        if (unknown.Count > 0)
        {
            throw new PolicyInputException([.. unknown.Select(name => new RuleDiagnostic(
                new SourceLocation(options.Parameters[name].Origin, 1, 1, "$"),
                $"no imported definition or initiative declares a parameter '{name}'{Suggestions.DidYouMean(name, declared)}"))]);
        }

        var results = new List<ConversionResult>(missing);
        var rules = new List<JObject>();
        var usedIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in Group(planned))
        {
            var first = group[0];
            var ruleId = UniqueId(RuleId(first.Definition.Name, group.Count < planned.Count(p => p.Definition == first.Definition) ? first.ReferenceId : null), usedIds);
            var controls = group.SelectMany(g => g.Controls).GroupBy(c => c.Framework, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(c => c.Control).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
            var request = new ConversionRequest(
                first.Definition,
                ruleId,
                first.Values,
                first.Policy,
                controls,
                [.. group.SelectMany(g => g.Initiatives).Distinct(StringComparer.Ordinal)],
                options.Severities.For(first.Definition.Name, first.Definition.Id, first.Definition.Category));
            var result = DefinitionConverter.Convert(request, options.Aliases);
            results.Add(result);
            if (result.Rule is { } rule)
            {
                rules.Add(rule);
            }
        }

        var pack = Pack(inputs, options, rules);
        CheckPack(pack, results);
        return new ImportResult { Pack = pack, Results = results, Notes = notes };
    }

    private static void PlanInitiative(
        PolicySetDefinition initiative,
        IReadOnlyDictionary<string, SuppliedValue> supplied,
        PolicyAssignment? assignment,
        Dictionary<string, PolicyDefinition> byId,
        Dictionary<string, PolicyDefinition> byName,
        List<Planned> planned,
        List<ConversionResult> missing,
        HashSet<string> declared)
    {
        Declare(initiative.Parameters, declared);
        var initiativeValues = new ParameterResolver(initiative.Parameters, initiative.File, supplied);
        foreach (var reference in initiative.References)
        {
            if (!byId.TryGetValue(reference.DefinitionId, out var definition) && !byName.TryGetValue(LastSegment(reference.DefinitionId), out definition))
            {
                var placeholder = new PolicyDefinition
                {
                    Id = reference.DefinitionId,
                    Name = LastSegment(reference.DefinitionId),
                    DisplayName = LastSegment(reference.DefinitionId),
                    PolicyRule = [],
                    File = initiative.File,
                    Token = reference.Token,
                };
                var problem = new RuleDiagnostic(Json.At(initiative.File, reference.Token), $"member {reference.DefinitionId} of initiative '{initiative.DisplayName}' is not among the inputs: give its definition file or folder too");
                missing.Add(new ConversionResult(placeholder, ConversionStatus.Unsupported, null, null, problem.Message, [problem]));
                continue;
            }

            // The member's values: what the initiative gives it (folded over the initiative's own
            // parameters), and otherwise what was supplied for the member's own parameter names.
            var values = new Dictionary<string, SuppliedValue>(supplied, StringComparer.OrdinalIgnoreCase);
            var problems = new List<RuleDiagnostic>();
            foreach (var property in reference.Parameters?.Properties() ?? [])
            {
                var valueToken = property.Value is JObject wrapper ? Json.Get(wrapper, "value") : null;
                if (valueToken is null)
                {
                    problems.Add(new RuleDiagnostic(Json.At(initiative.File, property), $"the value of parameter '{property.Name}' is written {{ \"value\": … }}"));
                    continue;
                }

                try
                {
                    values[property.Name] = new SuppliedValue(InitiativeValue(valueToken, initiativeValues), null, $"initiative '{initiative.DisplayName}'");
                }
                catch (TemplateFoldException ex)
                {
                    problems.Add(new RuleDiagnostic(Json.At(initiative.File, valueToken), ex.Message));
                }
            }

            if (problems.Count > 0)
            {
                missing.Add(new ConversionResult(definition, ConversionStatus.Unsupported, null, null, problems[0].Message, problems));
                continue;
            }

            Declare(definition.Parameters, declared);
            var controls = reference.GroupNames.Select(g => ControlGroups.Of(g, initiative.Name)).ToList();
            planned.Add(new Planned(definition, values, reference.ReferenceId, controls, [initiative.Id], assignment is null ? null : PolicyObject(assignment, definition.Id, initiative.Id, reference.ReferenceId)));
        }
    }

    private static JsonElement InitiativeValue(JToken token, ParameterResolver initiative)
    {
        if (token.Type == JTokenType.String && ConditionTranslator.IsExpression((string)token!))
        {
            var text = (string)token!;
            if (!Expression.TryParse(text[1..^1], out var expression, out var syntax))
            {
                throw new TemplateFoldException($"'{text}' is not a template expression the importer can read: {syntax}");
            }

            var folded = TemplateFolding.Fold(expression, new FoldContext(initiative.Get, null, _ => throw new TemplateFoldException("an initiative's parameter value cannot read a resource field"), _ => throw new TemplateFoldException("current() has no meaning in an initiative's parameter value")));
            return TemplateFolding.IsValue(folded, out var value) ? value : throw new TemplateFoldException($"'{text}' must be known when the initiative is imported");
        }

        return JsonLocations.ToElement(token);
    }

    /// <summary>References of one definition with the same values become one rule (their controls merged); different values, one rule each.</summary>
    private static List<List<Planned>> Group(List<Planned> planned)
    {
        var groups = new Dictionary<string, List<Planned>>(StringComparer.Ordinal);
        var order = new List<List<Planned>>();
        foreach (var item in planned)
        {
            var values = string.Join(";", item.Values.Where(v => item.Definition.Parameters?.Properties().Any(p => p.Name.Equals(v.Key, StringComparison.OrdinalIgnoreCase)) == true)
                .OrderBy(v => v.Key, StringComparer.OrdinalIgnoreCase)
                .Select(v => $"{v.Key.ToLowerInvariant()}={(v.Value.Json is { } json ? json.GetRawText() : v.Value.Text)}"));
            var key = item.Definition.Id.ToLowerInvariant() + "|" + values + "|" + (item.Policy?.GetRawText() ?? string.Empty);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = [];
                order.Add(group);
            }

            group.Add(item);
        }

        return order;
    }

    private static IReadOnlyDictionary<string, SuppliedValue> Merge(IReadOnlyDictionary<string, SuppliedValue> given, Dictionary<string, SuppliedValue> assignment)
    {
        var merged = new Dictionary<string, SuppliedValue>(given, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in assignment)
        {
            merged[name] = value;
        }

        return merged;
    }

    private static JsonElement PolicyObject(PolicyAssignment assignment, string definitionId, string? setDefinitionId, string? referenceId) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["assignmentId"] = assignment.Id,
            ["definitionId"] = definitionId,
            ["setDefinitionId"] = setDefinitionId ?? string.Empty,
            ["definitionReferenceId"] = referenceId ?? string.Empty,
        });

    private static void Declare(JObject? parameters, HashSet<string> declared)
    {
        foreach (var property in parameters?.Properties() ?? [])
        {
            declared.Add(property.Name);
        }
    }

    private static JObject Pack(DefinitionSet inputs, ImportOptions options, List<JObject> rules)
    {
        var single = inputs.Initiatives.Count == 1 && options.Assignments is null ? inputs.Initiatives[0] : null;
        var id = options.PackId ?? (single is null ? "azure-policy" : PackIdOf(single.Name, single.DisplayName));
        var title = options.PackTitle ?? (single is null ? "Azure Policy definitions" : single.DisplayName);
        var version = single?.Version is { } v && SemVer().IsMatch(v) ? v : "1.0.0";
        var description = single is null
            ? $"Imported with 'compliance policy import' (alias catalog of {options.Aliases.Date})."
            : $"The Azure Policy initiative {single.Id}, imported with 'compliance policy import' (alias catalog of {options.Aliases.Date}).";
        return new JObject
        {
            ["$schema"] = "https://compliance.example/schemas/rule-pack.schema.json",
            ["id"] = id,
            ["title"] = title,
            ["version"] = version,
            ["description"] = description,
            ["rules"] = new JArray(rules.OrderBy(r => (string)r["id"]!, StringComparer.Ordinal)),
        };
    }

    /// <summary>
    /// The pack must load as any pack does (schema, language, ids): a rule that does not is reported
    /// as not converted, with the loader's message, and taken out.
    /// </summary>
    private static void CheckPack(JObject pack, List<ConversionResult> results)
    {
        var bytes = Encoding.UTF8.GetBytes(pack.ToString(Newtonsoft.Json.Formatting.None));
        var loaded = RulePackLoader.Load([new RulePackInput("imported pack", bytes, _ => false, _ => Stream.Null)]);
        if (!loaded.HasErrors)
        {
            return;
        }

        var rules = (JArray)pack["rules"]!;
        var bad = new Dictionary<int, List<string>>();
        foreach (var diagnostic in loaded.Diagnostics)
        {
            var match = RuleIndex().Match(diagnostic.Location.JsonPath);
            var index = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
            if (!bad.TryGetValue(index, out var messages))
            {
                bad[index] = messages = [];
            }

            messages.Add($"{diagnostic.Location.JsonPath}: {diagnostic.Message}");
        }

        if (bad.ContainsKey(-1))
        {
            throw new InvalidOperationException("The imported pack does not load: " + string.Join("; ", bad[-1]));
        }

        foreach (var index in bad.Keys.OrderDescending())
        {
            var ruleId = (string)rules[index]["id"]!;
            rules.RemoveAt(index);
            var at = results.FindIndex(r => r.Rule is { } rule && (string)rule["id"]! == ruleId);
            var result = results[at];
            var problems = bad[index].Select(m => new RuleDiagnostic(Json.At(result.Definition.File, result.Definition.Token), "the converted rule does not load: " + m)).ToList();
            results[at] = result with { Status = ConversionStatus.Unsupported, Rule = null, Effect = null, Reason = problems[0].Message, Problems = problems };
        }
    }

    /// <summary>A stable rule id from the definition name: AZP-404C3081-A854-4457-AE30-26A93EF643F9, AZP-DENY-PUBLIC-IP.</summary>
    public static string RuleId(string definitionName, string? referenceId = null)
    {
        ArgumentNullException.ThrowIfNull(definitionName);
        var text = referenceId is null ? definitionName : $"{definitionName}-{referenceId}";
        var parts = NotIdCharacters().Split(text.ToUpperInvariant()).Where(p => p.Length > 0).ToList();
        return parts.Count == 0 ? "AZP-" + Hash(text) : "AZP-" + string.Join('-', parts);
    }

    private static string UniqueId(string id, HashSet<string> used)
    {
        var candidate = id;
        for (var n = 2; !used.Add(candidate); n++)
        {
            candidate = $"{id}-{n}";
        }

        return candidate;
    }

    private static string PackIdOf(string name, string displayName)
    {
        var source = Guid.TryParse(name, out _) ? displayName : name;
        var parts = NotIdCharacters().Split(source.ToLowerInvariant()).Where(p => p.Length > 0);
        var id = string.Join('-', parts);
        return id.Length == 0 ? "azure-policy" : id;
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    private static string LastSegment(string id) => id.TrimEnd('/')[(id.TrimEnd('/').LastIndexOf('/') + 1)..];

    private sealed record Planned(
        PolicyDefinition Definition,
        IReadOnlyDictionary<string, SuppliedValue> Values,
        string? ReferenceId,
        IReadOnlyList<(string Framework, string Control)> Controls,
        IReadOnlyList<string> Initiatives,
        JsonElement? Policy);

    [GeneratedRegex("[^A-Z0-9a-z]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotIdCharacters();

    [GeneratedRegex(@"^\$\.rules\[(\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex RuleIndex();

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemVer();
}
