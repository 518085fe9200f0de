using System.Text.Json;
using Compliance.Core.Conditions;
using Compliance.Core.Rules;
using Compliance.Policy.Aliases;
using Compliance.Policy.Definitions;
using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Conversion;

/// <summary>Where a condition is translated: which types its aliases belong to, and whose fields it reads.</summary>
/// <param name="Types">The resource types the condition can be evaluated on (lower case, as the catalog has them); null: any.</param>
/// <param name="EvaluatedTypes">Inside an existence condition: the types of the resource the policy evaluates ([field()] reads it).</param>
internal sealed record TranslationScope(IReadOnlyList<string>? Types, IReadOnlyList<string>? EvaluatedTypes = null)
{
    public bool InExistenceCondition => EvaluatedTypes is not null;
}

/// <summary>A source token: the definition token an output token was translated from (for messages).</summary>
internal sealed record SourceToken(JToken Token);

/// <summary>A fold stopped by a problem that was reported already (an unknown alias inside field()).</summary>
internal sealed class AlreadyReportedException : TemplateFoldException
{
}

/// <summary>An alias whose path differs between the types a condition may be evaluated on: the caller translates per type.</summary>
internal sealed class AmbiguousAliasException(string alias) : Exception($"alias '{alias}' has a different path on each type")
{
    public string Alias { get; } = alias;
}

/// <summary>
/// Translates an Azure Policy condition into the rule language: aliases become paths into the
/// resource (per type, from the <see cref="AliasCatalog"/>), template expressions over parameters
/// and literals are folded into values (Core's function table), what reads the resource stays an
/// expression the engine computes, and operator names take their canonical spelling. Every problem is
/// collected with the file, line, column and JSON path of the definition token it concerns; the
/// translation goes on, so that a definition's problems are reported together.
/// </summary>
internal sealed class ConditionTranslator
{
    private readonly PolicyDefinition _definition;
    private readonly AliasCatalog _catalog;
    private readonly Func<string, JsonElement> _parameter;
    private readonly JsonElement? _policy;

    public ConditionTranslator(PolicyDefinition definition, AliasCatalog catalog, Func<string, JsonElement> parameter, JsonElement? policy)
    {
        _definition = definition;
        _catalog = catalog;
        _parameter = parameter;
        _policy = policy;
    }

    public List<RuleDiagnostic> Problems { get; } = [];

    /// <summary>Whether the translation met a field named location (the rule then does not apply to subscriptions).</summary>
    public bool ReadsLocation { get; private set; }

    public JToken? Condition(JToken source, TranslationScope scope)
    {
        if (source is JObject all && Json.Get(all, "allOf") is JArray items && Narrow(scope, items) is { Types.Count: > 1 } narrowed && narrowed.Types != scope.Types)
        {
            var problems = Problems.Count;
            try
            {
                return Translate(all, scope);
            }
            catch (AmbiguousAliasException)
            {
                // An alias of this allOf has a path per type: read it once for each type its
                // type condition allows, as anyOf(type is T and the allOf read for T).
                Problems.RemoveRange(problems, Problems.Count - problems);
                var branches = new JArray();
                foreach (var type in narrowed.Types!)
                {
                    if (Translate(all, scope with { Types = [type] }) is { } single)
                    {
                        branches.Add(new JObject { ["allOf"] = new JArray(new JObject { ["field"] = "type", ["equals"] = _catalog.SpellingOf(type) ?? type }, single) });
                    }
                }

                return Annotate(new JObject { ["anyOf"] = branches }, source);
            }
        }

        return Translate(source, scope);
    }

    private JToken? Translate(JToken source, TranslationScope scope)
    {
        if (source is not JObject obj)
        {
            Problem(source, $"a condition is an object, not {JsonLocations.KindOf(source)}");
            return null;
        }

        // Inside allOf, a sibling "type equals X" narrows which types the other aliases belong to.
        var output = new JObject();
        Annotate(output, source);
        foreach (var property in obj.Properties())
        {
            var key = property.Name;
            switch (key.ToLowerInvariant())
            {
                case "allof":
                case "anyof":
                    if (property.Value is not JArray items)
                    {
                        Problem(property.Value, $"'{key}' takes an array of conditions");
                        continue;
                    }

                    var isAll = key.Equals("allOf", StringComparison.OrdinalIgnoreCase);
                    var inner = isAll ? Narrow(scope, items) : scope;
                    var array = new JArray();
                    Annotate(array, property.Value);
                    foreach (var item in items)
                    {
                        if (Condition(item, inner) is { } translated)
                        {
                            array.Add(translated);
                        }
                    }

                    output[isAll ? "allOf" : "anyOf"] = array;
                    break;
                case "not":
                    if (Condition(property.Value, scope) is { } negated)
                    {
                        output["not"] = negated;
                    }

                    break;
                case "field":
                    if (FieldPath(property.Value, scope) is { } path)
                    {
                        output["field"] = Annotate(new JValue(path), property.Value);
                    }

                    break;
                case "value":
                    output["value"] = Value(property.Value, scope);
                    break;
                case "count":
                    if (Count(property.Value, scope) is { } count)
                    {
                        output["count"] = count;
                    }

                    break;
                default:
                    var name = Operators.TryGet(key, out var op) ? op.Name : key;
                    output[name] = Value(property.Value, scope);
                    break;
            }
        }

        return ApiVersionCheck(obj, output) ?? output;
    }

    /// <summary>
    /// <c>{ "value": "[requestContext().apiVersion]", "less": "2019-04-01" }</c>: a compliance scan reads
    /// every resource with the latest API version ("The latest API version is always used during
    /// compliance evaluation on existing resources", Learn: policy definition structure, policy
    /// functions), which orders after every version a definition names, previews included. The leaf is
    /// decided here, so that no date is compared with a version string such as 2021-06-01-preview.
    /// </summary>
    private static JObject? ApiVersionCheck(JObject source, JObject output)
    {
        if (Json.Get(source, "value") is not { Type: JTokenType.String } value ||
            !((string)value!).Replace(" ", string.Empty, StringComparison.Ordinal).Equals("[requestContext().apiVersion]", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var comparison = output.Properties().Where(p => p.Name != "value").ToList();
        if (comparison.Count != 1 || comparison[0].Value.Type != JTokenType.String)
        {
            return null;
        }

        bool? holds = comparison[0].Name switch
        {
            "less" or "lessOrEquals" or "equals" => false,
            "greater" or "greaterOrEquals" or "notEquals" => true,
            _ => null,
        };
        if (holds is null)
        {
            return null;
        }

        const string Latest = "the latest API version";
        var decided = new JObject { ["value"] = Latest, [holds.Value ? "equals" : "notEquals"] = Latest };
        return Annotate(decided, source);
    }

    /// <summary>An operator's value or a value left side: a JSON value, or an expression folded as far as it goes.</summary>
    public JToken Value(JToken source, TranslationScope scope)
    {
        if (source.Type != JTokenType.String)
        {
            return Annotate(source.DeepClone(), source);
        }

        var text = (string)source!;
        if (!IsExpression(text))
        {
            return Annotate(new JValue(text), source);
        }

        var folded = Fold(text, source, scope);
        if (folded is null)
        {
            return Annotate(new JValue(text), source);
        }

        if (TemplateFolding.IsValue(folded, out var value))
        {
            return Annotate(ToToken(value), source);
        }

        return Annotate(new JValue(Expression.Print(folded)), source);
    }

    /// <summary>An expression folded, or null after reporting why it cannot be.</summary>
    public Expression? Fold(string text, JToken source, TranslationScope scope)
    {
        if (!Expression.TryParse(text[1..^1], out var expression, out var syntax))
        {
            Problem(source, $"'{text}' is not a template expression the importer can read: {syntax}");
            return null;
        }

        try
        {
            return TemplateFolding.Fold(expression, new FoldContext(
                _parameter,
                _policy,
                path => FieldReference(path, source, scope),
                argument => CurrentReference(argument, source, scope)));
        }
        catch (AlreadyReportedException)
        {
            return null;
        }
        catch (TemplateFoldException ex)
        {
            Problem(source, ex.Message);
            return null;
        }
    }

    /// <summary>A field path: an alias resolved for the scope's types, or a plain field (name, type, location, tags…).</summary>
    public string? FieldPath(JToken source, TranslationScope scope)
    {
        if (source.Type != JTokenType.String)
        {
            Problem(source, $"a field is a string (an alias or a property such as name, type, location, tags), not {JsonLocations.KindOf(source)}");
            return null;
        }

        var text = (string)source!;
        if (IsExpression(text))
        {
            var folded = Fold(text, source, scope);
            if (folded is null)
            {
                return null;
            }

            if (!TemplateFolding.IsValue(folded, out var value) || value.ValueKind != JsonValueKind.String)
            {
                Problem(source, $"the field '{text}' must be known when the definition is imported, but it reads the resource ({Expression.Print(folded)})");
                return null;
            }

            text = value.GetString()!;
        }

        return Resolve(text, source, scope);
    }

    private string? Resolve(string field, JToken source, TranslationScope scope)
    {
        if (!field.Contains('/', StringComparison.Ordinal) || field.StartsWith("tags[", StringComparison.OrdinalIgnoreCase) || field.StartsWith("tags.", StringComparison.OrdinalIgnoreCase))
        {
            if (field.Equals("fullName", StringComparison.OrdinalIgnoreCase))
            {
                Problem(source, "the field 'fullName' (the resource's name with its parents' names) is not supported: the snapshot keeps the name and the id; compare 'name' or the id instead");
                return null;
            }

            if (field.Equals("location", StringComparison.OrdinalIgnoreCase))
            {
                ReadsLocation = true;
            }

            return field;
        }

        var paths = _catalog.PathsOf(field);
        if (paths is null)
        {
            Problem(source, $"unknown alias '{field}': it is not in the alias catalog of {_catalog.Date} ({_catalog.Source}); if Azure added it since, refresh the catalog with 'compliance policy aliases refresh --out FILE' and import with --aliases FILE");
            return null;
        }

        var candidates = paths.Where(p => scope.Types is null || scope.Types.Contains(p.Key.ToLowerInvariant())).Select(p => p.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (candidates.Count == 0)
        {
            // None of the types the condition can be evaluated on defines the alias: Azure treats it
            // as invalid there and the branch that names it is guarded by another type. Its path on
            // the first type that defines it is as good as any.
            candidates = [paths.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).First().Value];
        }

        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        if (scope.Types is { Count: > 1 })
        {
            throw new AmbiguousAliasException(field);
        }

        Problem(source, $"alias '{field}' has different paths on {string.Join(", ", paths.Keys)} and the condition does not say which type it is evaluated on");
        return null;
    }

    private JObject? Count(JToken source, TranslationScope scope)
    {
        if (source is not JObject count)
        {
            Problem(source, $"'count' takes an object {{ \"field\": \"…[*]\", \"where\": {{…}} }} or {{ \"value\": […], \"name\": \"…\", \"where\": {{…}} }}, not {JsonLocations.KindOf(source)}");
            return null;
        }

        var output = new JObject();
        Annotate(output, source);
        foreach (var property in count.Properties())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "field":
                    if (FieldPath(property.Value, scope) is { } path)
                    {
                        output["field"] = Annotate(new JValue(path), property.Value);
                    }

                    break;
                case "value":
                    output["value"] = Value(property.Value, scope);
                    break;
                case "name":
                    output["name"] = Annotate(property.Value.DeepClone(), property.Value);
                    break;
                case "where":
                    if (Condition(property.Value, scope) is { } where)
                    {
                        output["where"] = where;
                    }

                    break;
                default:
                    output[property.Name] = Annotate(property.Value.DeepClone(), property.Value);
                    break;
            }
        }

        return output;
    }

    /// <summary>[field('alias')] in an expression: the path on the resource being read, or — in an existence condition — on the evaluated resource.</summary>
    private Expression FieldReference(string field, JToken source, TranslationScope scope)
    {
        var readScope = scope.InExistenceCondition ? new TranslationScope(scope.EvaluatedTypes) : scope;
        var path = Resolve(field, source, readScope) ?? throw new AlreadyReportedException();
        return new Expression.Call(scope.InExistenceCondition ? "resource" : "field", [new Expression.Text(path)]);
    }

    /// <summary>
    /// current(): of a value count, kept; of a field count (an alias with [*]), the element's value,
    /// which the engine reads as a field path under the counted array.
    /// </summary>
    private Expression CurrentReference(string? argument, JToken source, TranslationScope scope)
    {
        if (argument is null || !(argument.Contains('/', StringComparison.Ordinal) || argument.Contains("[*]", StringComparison.Ordinal)))
        {
            return new Expression.Call("current", argument is null ? [] : [new Expression.Text(argument)]);
        }

        var path = Resolve(argument, source, scope) ?? throw new AlreadyReportedException();
        return new Expression.Call("field", [new Expression.Text(path)]);
    }

    /// <summary>The types an allOf's direct "type equals/in" conditions allow, for its other conditions.</summary>
    private static TranslationScope Narrow(TranslationScope scope, JArray items)
    {
        HashSet<string>? allowed = null;
        foreach (var item in items.OfType<JObject>())
        {
            if (Applicability.TypeLeaf(item) is { } types)
            {
                allowed = allowed is null ? [.. types] : [.. allowed.Intersect(types)];
            }
        }

        if (allowed is null || allowed.Count == 0)
        {
            return scope;
        }

        var narrowed = scope.Types is null ? [.. allowed] : scope.Types.Where(allowed.Contains).ToList();
        return narrowed.Count == 0 ? scope : scope with { Types = narrowed };
    }

    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    /// <summary>A folded value as JSON for the pack; a string that starts with '[' is escaped as '[['.</summary>
    public static JToken ToToken(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith('['))
        {
            return new JValue("[" + value.GetString());
        }

        return value.ValueKind == JsonValueKind.Undefined ? JValue.CreateNull() : JToken.Parse(value.GetRawText());
    }

    public void Problem(JToken? token, string message) =>
        Problems.Add(new RuleDiagnostic(Json.At(_definition.File, token), message));

    public static T Annotate<T>(T output, JToken source)
        where T : JToken
    {
        output.AddAnnotation(new SourceToken(source));
        return output;
    }
}
