using System.Security.Cryptography;
using System.Text.Json;
using Compliance.Core.Conditions;
using Compliance.Core.Findings;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Compliance.Core.Rules;

/// <summary>
/// Reads rule packs and reports every problem at once: JSON syntax, the schema
/// (rules/rule-pack.schema.json, checked with NJsonSchema), and what a schema cannot say — operators
/// and their values, parameters, paths, durations, duplicate ids across packs, fixture files.
/// </summary>
public static class RulePackLoader
{
    /// <summary>Frameworks the built-in packs map to; a near-miss spelling of one is reported.</summary>
    public static readonly IReadOnlyList<string> KnownFrameworks = ["CIS-Azure-3.0.0", "NIST-800-53-r5", "ISO-27001-2022"];

    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema);

    public static RulePackLoadResult Load(IEnumerable<RulePackInput> inputs)
    {
        var diagnostics = new List<RuleDiagnostic>();
        var packs = new List<RulePack>();
        var ruleIds = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
        var packIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var input in inputs)
        {
            var fileDiagnostics = new List<RuleDiagnostic>();
            var pack = LoadOne(input, fileDiagnostics);
            if (pack is not null)
            {
                if (packIds.TryGetValue(pack.Id, out var otherFile))
                {
                    fileDiagnostics.Add(new RuleDiagnostic(new SourceLocation(input.Path, 1, 1, "$.id"), $"pack id '{pack.Id}' is already used by {otherFile}"));
                }
                else
                {
                    packIds[pack.Id] = input.Path;
                }

                foreach (var rule in pack.Rules)
                {
                    if (ruleIds.TryGetValue(rule.Id, out var first))
                    {
                        fileDiagnostics.Add(new RuleDiagnostic(rule.Location, $"duplicate rule id '{rule.Id}': already defined at {first.File}:{first.Line}; rule ids must be unique across all packs"));
                    }
                    else
                    {
                        ruleIds[rule.Id] = rule.Location;
                    }
                }
            }

            diagnostics.AddRange(fileDiagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column));
            if (pack is not null && fileDiagnostics.Count == 0)
            {
                packs.Add(pack);
            }
        }

        return new RulePackLoadResult(packs, diagnostics);
    }

    private static RulePack? LoadOne(RulePackInput input, List<RuleDiagnostic> diagnostics)
    {
        var file = input.Path;
        var root = JsonFile.Read(input.Content, file, "the pack's", (location, message) => diagnostics.Add(new RuleDiagnostic(location, message)));
        if (root is null)
        {
            return null;
        }

        var schemaErrorPaths = ValidateSchema(file, root, diagnostics);
        if (root is not JObject obj)
        {
            return null;
        }

        var compileDiagnostics = new List<RuleDiagnostic>();
        var pack = BuildPack(input, obj, compileDiagnostics);

        // The schema and the compiler can both notice the same problem (a condition that is not an
        // object); the schema's message is kept.
        diagnostics.AddRange(compileDiagnostics.Where(d => !schemaErrorPaths.Contains(d.Location.JsonPath)));
        return pack;
    }

    private static HashSet<string> ValidateSchema(string file, JToken root, List<RuleDiagnostic> diagnostics)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (location, message) in SchemaCheck.Validate(Schema.Value, root, file, PatternMessage))
        {
            paths.Add(location.JsonPath);
            diagnostics.Add(new RuleDiagnostic(location, message));
        }

        return paths;
    }

    private static string PatternMessage(JToken value, string property)
    {
        var path = JsonLocations.PathOf(value);
        var expected = path switch
        {
            _ when path.Contains(".resourceTypes[", StringComparison.Ordinal) => "a resource type such as Microsoft.Storage/storageAccounts or microsoft.graph/users",
            _ when path.Contains(".links[", StringComparison.Ordinal) => "an https:// address",
            _ when path.StartsWith("$.rules[", StringComparison.Ordinal) && property == "id" => "a rule id such as AZ-NET-001 (upper-case letters and digits in dash-separated parts)",
            _ when property == "id" => "a pack id such as azure-network (lower-case letters, digits and dashes)",
            _ when property == "version" => "a semantic version such as 1.0.0",
            _ => "of the expected form",
        };
        return $"{SchemaCheck.Shown(value)} is not {expected}";
    }

    private static RulePack? BuildPack(RulePackInput input, JObject obj, List<RuleDiagnostic> diagnostics)
    {
        var file = input.Path;
        var parameters = BuildParameters(file, obj["parameters"] as JObject, diagnostics);
        var values = new ParameterValues(parameters);
        var rules = new List<Rule>();
        if (obj["rules"] is JArray ruleArray)
        {
            foreach (var ruleToken in ruleArray.OfType<JObject>())
            {
                var rule = BuildRule(input, ruleToken, parameters, values, diagnostics);
                if (rule is not null)
                {
                    rules.Add(rule);
                }
            }
        }

        var id = Str(obj, "id");
        var title = Str(obj, "title");
        var version = Str(obj, "version");
        if (id is null || title is null || version is null)
        {
            return null;
        }

        return new RulePack
        {
            Id = id,
            Title = title,
            Description = Str(obj, "description"),
            Version = version,
            Parameters = parameters,
            Rules = rules,
            SourcePath = file,
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(input.Content)),
            OpenFixture = input.OpenFixture,
        };
    }

    private static Dictionary<string, RuleParameter> BuildParameters(string file, JObject? parametersToken, List<RuleDiagnostic> diagnostics)
    {
        var parameters = new Dictionary<string, RuleParameter>(StringComparer.OrdinalIgnoreCase);
        if (parametersToken is null)
        {
            return parameters;
        }

        foreach (var property in parametersToken.Properties())
        {
            if (property.Value is not JObject definition || Str(definition, "type") is not { } typeName ||
                !Enum.TryParse<RuleParameterType>(typeName, ignoreCase: true, out var type) || definition["default"] is not { } defaultToken)
            {
                continue; // the schema reports what is missing
            }

            var location = JsonLocations.Of(file, property);
            var defaultValue = JsonLocations.ToElement(defaultToken);
            var problem = ParameterTypes.Check(type, defaultValue);
            if (problem is not null)
            {
                // Still declared, so that references to it are not reported as unknown as well.
                diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(file, defaultToken), $"the default of parameter '{property.Name}' {problem}"));
            }

            List<JsonElement>? allowed = null;
            if (definition["allowedValues"] is JArray allowedToken)
            {
                allowed = allowedToken.Select(JsonLocations.ToElement).ToList();
                if (!allowed.Any(a => ValueComparer.DeepEquals(a, defaultValue)))
                {
                    diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(file, defaultToken), $"the default of parameter '{property.Name}' is not one of its allowedValues"));
                }
            }

            parameters[property.Name] = new RuleParameter(property.Name, type, defaultValue, allowed, Str(definition, "description"), location);
        }

        return parameters;
    }

    private static Rule? BuildRule(RulePackInput input, JObject token, IReadOnlyDictionary<string, RuleParameter> parameters, ParameterValues values, List<RuleDiagnostic> diagnostics)
    {
        var file = input.Path;

        // Compiled once, with the pack's defaults: a scan that overrides none of them uses this.
        var compiled = RuleCompilation.Compile(file, token["where"], token["condition"], values);
        diagnostics.AddRange(compiled.Diagnostics);
        CheckPlaceholders(file, token, parameters, diagnostics);
        var message = BuildMessage(file, token, parameters, values, diagnostics);
        var controls = BuildControls(file, token["controls"] as JObject, diagnostics);
        var tests = BuildTests(input, token["tests"] as JArray, parameters, compiled.Reads.UsesTime, diagnostics);

        var id = Str(token, "id");
        var title = Str(token, "title");
        if (id is null || title is null || token["condition"] is not JObject condition ||
            !EnumNames.TryParseSeverity(Str(token, "severity"), out var severity) ||
            !EnumNames.TryParseCategory(Str(token, "category"), out var category) || category == RuleCategory.Collection ||
            token["resourceTypes"] is not JArray types)
        {
            return null;
        }

        var description = Str(token, "description");
        var remediation = Str(token, "remediation");
        var rule = new Rule
        {
            Id = id,
            Title = title,
            Description = description,
            Notes = Str(token, "notes"),
            Severity = severity,
            Category = category,
            ResourceTypes = types.Where(t => t.Type == JTokenType.String).Select(t => (string)t!).ToList(),
            Source = (token["where"] as JObject, condition),
            Compiled = compiled,
            Remediation = remediation,
            Message = message,
            Links = (token["links"] as JArray)?.Where(t => t.Type == JTokenType.String).Select(t => (string)t!).ToList() ?? [],
            Controls = controls,
            Tests = tests,
            Policy = token["policy"] is JObject policy ? BuildPolicy(policy) : null,
            Location = JsonLocations.Of(file, token["id"] ?? token),
            Written = (title, description, remediation),
        };
        return rule.WithText(values.ValueOf);
    }

    private static PolicyOrigin? BuildPolicy(JObject policy) =>
        Str(policy, "definitionId") is { } id && Str(policy, "effect") is { } effect
            ? new PolicyOrigin(id, Str(policy, "version"), effect, Str(policy, "effectNote"), Str(policy, "source"), policy["parameters"] is JObject values ? JsonLocations.ToElement(values) : null)
            : null;

    /// <summary>Every <c>{name}</c> in a rule's title, description and remediation names a parameter of the pack.</summary>
    private static void CheckPlaceholders(string file, JObject token, IReadOnlyDictionary<string, RuleParameter> parameters, List<RuleDiagnostic> diagnostics)
    {
        foreach (var key in (string[])["title", "description", "remediation"])
        {
            if (token[key] is not { Type: JTokenType.String } text)
            {
                continue;
            }

            foreach (var (name, _) in RuleText.Placeholders((string)text!))
            {
                if (!parameters.ContainsKey(name))
                {
                    var declared = parameters.Count == 0 ? "this pack declares no parameters" : $"this pack declares {string.Join(", ", parameters.Keys.Order(StringComparer.OrdinalIgnoreCase))}";
                    diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(file, text), $"unknown placeholder '{{{name}}}' in the {key}{Suggestions.DidYouMean(name, parameters.Keys)} ({declared}; write {{{{{name}}}}} for the literal text {{{name}}})"));
                }
            }
        }
    }

    /// <summary>The rule's message template; each placeholder that cannot be shown is reported with the message's location.</summary>
    private static MessageTemplate? BuildMessage(string file, JObject token, IReadOnlyDictionary<string, RuleParameter> parameters, ParameterValues values, List<RuleDiagnostic> diagnostics)
    {
        if (token["message"] is not { Type: JTokenType.String } text)
        {
            return null;
        }

        var problems = new List<(int Index, string Message)>();
        var template = MessageTemplate.Parse((string)text!, [.. parameters.Keys], values.ValueOf, problems);
        foreach (var (index, problem) in problems)
        {
            diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(file, text), $"{problem}, at character {index + 1} of the message"));
        }

        return template;
    }

    private static Dictionary<string, IReadOnlyList<string>> BuildControls(string file, JObject? token, List<RuleDiagnostic> diagnostics)
    {
        var controls = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (token is null)
        {
            return controls;
        }

        foreach (var property in token.Properties())
        {
            if (!KnownFrameworks.Contains(property.Name, StringComparer.Ordinal))
            {
                var hint = Suggestions.DidYouMean(property.Name, KnownFrameworks);
                if (hint.Length > 0)
                {
                    diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(file, property), $"framework '{property.Name}' is not a known framework name{hint} (custom frameworks must not look like a known one)"));
                    continue;
                }
            }

            if (property.Value is JArray ids)
            {
                controls[property.Name] = ids.Where(t => t.Type == JTokenType.String).Select(t => (string)t!).ToList();
            }
        }

        return controls;
    }

    private static List<RuleTestCase> BuildTests(RulePackInput input, JArray? token, IReadOnlyDictionary<string, RuleParameter> parameters, bool usesTime, List<RuleDiagnostic> diagnostics)
    {
        var file = input.Path;
        var tests = new List<RuleTestCase>();
        if (token is null)
        {
            return tests;
        }

        foreach (var test in token.OfType<JObject>())
        {
            var location = JsonLocations.Of(file, test);
            var sources = new[] { "resource", "resources", "file" }.Where(k => test[k] is not null).ToList();
            if (sources.Count != 1)
            {
                diagnostics.Add(new RuleDiagnostic(location, sources.Count == 0
                    ? "a test needs its input: 'resource' (one resource), 'resources' (a small snapshot) or 'file' (a fixture file)"
                    : $"a test has one input, but this one has {string.Join(" and ", sources.Select(s => $"'{s}'"))}"));
            }

            var fixture = Str(test, "file");
            if (fixture is not null && !input.FixtureExists(fixture))
            {
                diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(file, test["file"]), $"fixture file '{fixture}' does not exist (paths are relative to the pack file)"));
            }

            DateTimeOffset? asOf = null;
            if (Str(test, "asOf") is { } asOfText)
            {
                if (Dates.TryParse(asOfText, out var parsed))
                {
                    asOf = parsed;
                }
            }
            else if (usesTime && (fixture is null || (input.FixtureExists(fixture) && !FixtureHasCollectedAt(input, fixture))))
            {
                diagnostics.Add(new RuleDiagnostic(location, "this rule uses olderThan/newerThan, so its test needs \"asOf\" (the evaluation time, e.g. \"2026-11-27T00:00:00Z\") or a snapshot fixture with collectedAt; otherwise its result changes with the date"));
            }

            if (test["parameters"] is JObject testParameters)
            {
                foreach (var property in testParameters.Properties())
                {
                    if (!parameters.TryGetValue(property.Name, out var parameter))
                    {
                        diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(file, property), $"unknown parameter '{property.Name}'{Suggestions.DidYouMean(property.Name, parameters.Keys)}"));
                    }
                    else if (ParameterTypes.Check(parameter.Type, JsonLocations.ToElement(property.Value)) is { } problem)
                    {
                        diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(file, property.Value), $"parameter '{property.Name}' {problem}"));
                    }
                }
            }

            if (test["resources"] is JArray resources && Str(test, "resourceId") is null && resources.Count > 1)
            {
                // Allowed: every applicable resource must then have the expected outcome.
            }

            if (Str(test, "name") is not { } name || Str(test, "expect") is not { } expect)
            {
                continue;
            }

            tests.Add(new RuleTestCase
            {
                Name = name,
                Expect = expect,
                Resource = test["resource"] is JObject resource ? JsonLocations.ToElement(resource) : null,
                Resources = (test["resources"] as JArray)?.Select(JsonLocations.ToElement).ToList(),
                File = fixture,
                ResourceId = Str(test, "resourceId"),
                ReasonContains = Str(test, "reasonContains"),
                AsOf = asOf,
                Parameters = (test["parameters"] as JObject)?.Properties().ToDictionary(p => p.Name, p => JsonLocations.ToElement(p.Value), StringComparer.OrdinalIgnoreCase),
                Location = location,
            });
        }

        return tests;
    }

    /// <summary>Whether a fixture file is a snapshot that states when it was collected (its evaluation time).</summary>
    private static bool FixtureHasCollectedAt(RulePackInput input, string fixture)
    {
        try
        {
            using var stream = input.OpenFixture(fixture);
            using var reader = new StreamReader(stream);
            var text = fixture.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? reader.ReadLine() ?? string.Empty : reader.ReadToEnd();
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("collectedAt", out _);
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            // An unreadable fixture fails in 'rules test', with its own message.
            return true;
        }
    }

    private static string? Str(JObject obj, string name) =>
        obj[name] is { Type: JTokenType.String } token ? (string)token! : null;

    private static JsonSchema LoadSchema()
    {
        using var stream = typeof(RulePackLoader).Assembly.GetManifestResourceStream("Compliance.Core.rule-pack.schema.json")
            ?? throw new InvalidOperationException("The rule-pack schema is not embedded in Compliance.Core.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    }
}
