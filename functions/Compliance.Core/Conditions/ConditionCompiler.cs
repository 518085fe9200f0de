using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Evaluation;
using Compliance.Core.Rules;
using Newtonsoft.Json.Linq;

namespace Compliance.Core.Conditions;

/// <summary>
/// Turns a condition written in a pack into a tree of compiled nodes, once per pack: paths parsed,
/// parameters resolved, patterns and durations prepared. Every problem becomes a diagnostic that
/// names the file, line, column and JSON path; compilation goes on so that all problems of a file
/// are reported together.
/// </summary>
internal sealed partial class ConditionCompiler
{
    private static readonly string[] LogicKeys = ["allOf", "anyOf", "not"];
    private static readonly string[] LeftKeys = ["field", "value", "count", "related"];

    private readonly string _file;
    private readonly ParameterValues _parameters;
    private readonly List<RuleDiagnostic> _diagnostics;

    public ConditionCompiler(string file, ParameterValues parameters, List<RuleDiagnostic> diagnostics)
    {
        _file = file;
        _parameters = parameters;
        _diagnostics = diagnostics;
    }

    /// <summary>Whether any compiled condition counts related resources.</summary>
    public bool UsesRelated { get; private set; }

    /// <summary>Whether any compiled condition uses olderThan / newerThan.</summary>
    public bool UsesTime { get; private set; }

    public HashSet<string> RelatedTypes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Paths read from the evaluated resource: what must be kept of a resource whose evaluation waits.</summary>
    public List<FieldPath> TargetPaths { get; } = [];

    /// <summary>Per related type, the paths its where conditions read: what the index keeps of those resources.</summary>
    public Dictionary<string, List<FieldPath>> RelatedPaths { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The (type, scope) pairs related conditions count: a tenant-wide count is incomplete when any scope failed.</summary>
    public List<(string Type, RelatedScope Scope)> RelatedUses { get; } = [];

    /// <summary>Compiles a condition; null when it has errors (they are in the diagnostics).</summary>
    public ConditionNode? Compile(JToken token)
    {
        var before = _diagnostics.Count;
        var node = CompileCondition(token, Scope.Root);
        return _diagnostics.Count == before ? node : null;
    }

    private ConditionNode? CompileCondition(JToken token, Scope scope)
    {
        if (token is not JObject obj)
        {
            Error(token, $"a condition is an object such as {{ \"field\": \"…\", \"equals\": … }}, not {JsonLocations.KindOf(token)}");
            return null;
        }

        if (obj.Count == 0)
        {
            Error(obj, "empty condition: use allOf, anyOf or not, or a left side (field, value, count, related) with one operator");
            return null;
        }

        var logic = new List<JProperty>();
        var lefts = new List<JProperty>();
        var ops = new List<(JProperty Property, OperatorDefinition Definition)>();
        var unknown = 0;
        foreach (var property in obj.Properties())
        {
            if (Is(property.Name, LogicKeys))
            {
                logic.Add(property);
            }
            else if (Is(property.Name, LeftKeys))
            {
                lefts.Add(property);
            }
            else if (Operators.TryGet(property.Name, out var definition))
            {
                ops.Add((property, definition));
            }
            else
            {
                var known = LogicKeys.Concat(LeftKeys).Concat(Operators.Names);
                unknown++;
                var hint = Suggestions.DidYouMean(property.Name, known);
                Error(property, hint.Length > 0
                    ? $"unknown key '{property.Name}'{hint}"
                    : $"unknown key '{property.Name}': a condition takes allOf, anyOf, not, field, value, count, related and the operators {string.Join(", ", Operators.Names)}");
            }
        }

        if (ops.Count == 0 && lefts.Count > 0 && unknown > 0)
        {
            // An unknown key was reported above; it is most likely the misspelt operator.
            return null;
        }

        if (logic.Count > 0)
        {
            if (logic.Count + lefts.Count + ops.Count > 1)
            {
                var others = obj.Properties().Select(p => p.Name).Where(n => !n.Equals(logic[0].Name, StringComparison.OrdinalIgnoreCase));
                Error(logic[0], $"'{logic[0].Name}' must stand alone in its object, but it is next to {string.Join(", ", others.Select(o => $"'{o}'"))}; wrap them in allOf or anyOf");
                return null;
            }

            return CompileLogic(logic[0], scope);
        }

        if (lefts.Count == 0)
        {
            Error(obj, "missing left side: a condition compares field, value, count or related with an operator");
            return null;
        }

        if (lefts.Count > 1)
        {
            Error(lefts[1], $"a condition has one left side, but this one has '{lefts[0].Name}' and '{lefts[1].Name}'; combine two conditions with allOf or anyOf");
            return null;
        }

        if (ops.Count == 0)
        {
            Error(obj, $"missing operator after '{lefts[0].Name}': add one of {string.Join(", ", Operators.Names)}");
            return null;
        }

        if (ops.Count > 1)
        {
            Error(ops[1].Property, $"a condition has one operator, but this one has '{ops[0].Property.Name}' and '{ops[1].Property.Name}'; combine two conditions with allOf or anyOf");
            return null;
        }

        var left = lefts[0];
        var (opProperty, op) = ops[0];
        if (op.Name is "olderThan" or "newerThan")
        {
            UsesTime = true;
        }

        return left.Name.ToLowerInvariant() switch
        {
            "field" => CompileFieldLeaf(left, opProperty, op, scope),
            "value" => CompileValueLeaf(left, opProperty, op, scope),
            "count" => CompileCount(left, opProperty, op, scope),
            _ => CompileRelated(left, opProperty, op, scope),
        };
    }

    private ConditionNode? CompileLogic(JProperty property, Scope scope)
    {
        if (property.Name.Equals("not", StringComparison.OrdinalIgnoreCase))
        {
            var child = CompileCondition(property.Value, scope);
            return child is null ? null : new NotNode(child);
        }

        if (property.Value is not JArray array || array.Count == 0)
        {
            Error(property.Value, $"'{property.Name}' takes a non-empty array of conditions, not {JsonLocations.KindOf(property.Value)}");
            return null;
        }

        var children = new List<ConditionNode>();
        var failed = false;
        foreach (var item in array)
        {
            var child = CompileCondition(item, scope);
            if (child is null)
            {
                failed = true;
            }
            else
            {
                children.Add(child);
            }
        }

        if (failed)
        {
            return null;
        }

        return property.Name.Equals("allOf", StringComparison.OrdinalIgnoreCase)
            ? new AllOfNode([.. children])
            : new AnyOfNode([.. children]);
    }

    private FieldLeaf? CompileFieldLeaf(JProperty left, JProperty opProperty, OperatorDefinition op, Scope scope)
    {
        var field = CompileFieldRef(left.Value, scope, "field");
        var comparison = CompileComparison(opProperty, op, scope, forCount: false);
        return field is null || comparison is null ? null : new FieldLeaf(field, comparison);
    }

    private ValueLeaf? CompileValueLeaf(JProperty left, JProperty opProperty, OperatorDefinition op, Scope scope)
    {
        var operand = CompileOperand(left.Value, scope);
        var comparison = CompileComparison(opProperty, op, scope, forCount: false);
        return operand is null || comparison is null ? null : new ValueLeaf(operand, comparison);
    }

    private CountLeaf? CompileCount(JProperty left, JProperty opProperty, OperatorDefinition op, Scope scope)
    {
        var comparison = CompileComparison(opProperty, op, scope, forCount: true);
        if (left.Value is not JObject count)
        {
            Error(left.Value, $"'count' takes an object such as {{ \"field\": \"properties.rules[*]\", \"where\": {{…}} }}, not {JsonLocations.KindOf(left.Value)}");
            return null;
        }

        var fieldToken = Property(count, "field");
        var valueToken = Property(count, "value");
        var nameToken = Property(count, "name");
        var whereToken = Property(count, "where");
        foreach (var extra in count.Properties().Where(p => !Is(p.Name, ["field", "value", "name", "where"])))
        {
            Error(extra, $"unknown key '{extra.Name}' in count; it takes field or value, an optional name (with value) and an optional where");
        }

        if ((fieldToken is null) == (valueToken is null))
        {
            Error(count, "'count' takes either 'field' (an array path ending in [*]) or 'value' (an array), exactly one of them");
            return null;
        }

        var slot = scope.NextSlot;
        if (fieldToken is not null)
        {
            if (nameToken is not null)
            {
                Error(nameToken.Parent!, "'name' belongs to a value count; a field count's elements are read with paths that start with the counted path");
            }

            var field = CompileFieldRef(fieldToken, scope, "count.field");
            if (field is null)
            {
                return null;
            }

            if (!field.Written.EndsWithWildcard)
            {
                Error(fieldToken, $"count.field '{field.Written.Text}' must end with [*] (the array whose elements are counted), e.g. properties.securityRules[*]");
                return null;
            }

            ConditionNode? where = null;
            if (whereToken is not null)
            {
                where = CompileCondition(whereToken, new Scope(scope, ScopeKind.Count, field.Written, null, slot));
                if (where is null)
                {
                    return null;
                }
            }

            return comparison is null ? null : new CountLeaf(field, null, slot, where, comparison);
        }

        var values = CompileOperand(valueToken!, scope);
        if (values is ConstantOperand constant && constant.Value.ValueKind != JsonValueKind.Array)
        {
            Error(valueToken!, $"count.value must be an array, not {Describe.Kind(constant.Value)}");
            return null;
        }

        string? name = null;
        if (nameToken is not null)
        {
            if (nameToken.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)nameToken))
            {
                Error(nameToken, "count.name must be a non-empty string");
                return null;
            }

            name = (string)nameToken!;
        }

        ConditionNode? valueWhere = null;
        if (whereToken is not null)
        {
            valueWhere = CompileCondition(whereToken, new Scope(scope, ScopeKind.ValueCount, null, name, slot));
            if (valueWhere is null)
            {
                return null;
            }
        }

        return values is null || comparison is null ? null : new CountLeaf(null, values, slot, valueWhere, comparison);
    }

    private RelatedLeaf? CompileRelated(JProperty left, JProperty opProperty, OperatorDefinition op, Scope scope)
    {
        var comparison = CompileComparison(opProperty, op, scope, forCount: true);
        if (left.Value is not JObject related)
        {
            Error(left.Value, $"'related' takes an object {{ \"type\": \"…\", \"scope\": \"children|subscription|tenant\", \"where\": {{…}} }}, not {JsonLocations.KindOf(left.Value)}");
            return null;
        }

        var typeToken = Property(related, "type");
        var scopeToken = Property(related, "scope");
        var whereToken = Property(related, "where");
        var failed = false;
        if (typeToken?.Type != JTokenType.String || !ResourceTypePattern().IsMatch((string)typeToken!))
        {
            Error(typeToken ?? related, "related.type must be a resource type such as Microsoft.Sql/servers/firewallRules or microsoft.graph/users");
            failed = true;
        }

        RelatedScope relatedScope = default;
        var scopeText = scopeToken?.Type == JTokenType.String ? (string)scopeToken! : null;
        switch (scopeText?.ToLowerInvariant())
        {
            case "children":
                relatedScope = RelatedScope.Children;
                break;
            case "subscription":
                relatedScope = RelatedScope.Subscription;
                break;
            case "tenant":
                relatedScope = RelatedScope.Tenant;
                break;
            default:
                Error(scopeToken ?? related, $"related.scope must be 'children', 'subscription' or 'tenant'{(scopeText is null ? string.Empty : $", not '{scopeText}'")}");
                failed = true;
                break;
        }

        ConditionNode? where = null;
        if (whereToken is not null)
        {
            if (InsideRelated(scope) is not null)
            {
                Error(left, "related cannot be nested inside related.where; count the second type from the rule's own condition");
                return null;
            }

            where = CompileCondition(whereToken, new Scope(scope, ScopeKind.RelatedRoot, null, typeToken?.Type == JTokenType.String ? (string)typeToken! : null, -1));
            failed |= where is null;
        }

        if (failed || comparison is null)
        {
            return null;
        }

        var type = (string)typeToken!;
        UsesRelated = true;
        RelatedTypes.Add(type);
        RelatedUses.Add((type, relatedScope));
        // Inside a count the result may depend on the element visited, so it is not reused.
        var memoizable = scope.NextSlot == 0;
        return new RelatedLeaf(type, relatedScope, where, FindJoin(where), comparison, memoizable);
    }

    /// <summary>
    /// An equality between a candidate's field and a value of the evaluated resource
    /// ({ "field": "id", "equals": "[resource('properties.principalId')]" }), at the top of related.where
    /// or directly inside its allOf, lets the index find candidates by key instead of visiting all.
    /// </summary>
    private static RelatedJoin? FindJoin(ConditionNode? where)
    {
        static RelatedJoin? FromLeaf(ConditionNode node) =>
            node is FieldLeaf { Field.Slot: < 0, Field.HasWildcard: false } leaf &&
            leaf.Comparison.Operator.Name == "equals" &&
            leaf.Comparison.Expected is ResourceOperand target
                ? new RelatedJoin(leaf.Field.Written, target)
                : null;

        return where switch
        {
            null => null,
            AllOfNode all => all.Children.Select(FromLeaf).FirstOrDefault(j => j is not null),
            _ => FromLeaf(where),
        };
    }

    private Comparison? CompileComparison(JProperty opProperty, OperatorDefinition op, Scope scope, bool forCount)
    {
        if (forCount && !op.CountComparison)
        {
            Error(opProperty, $"'{op.Name}' cannot compare a count; use equals, notEquals, less, lessOrEquals, greater, greaterOrEquals, in or notIn with a number");
            return null;
        }

        var parameterName = ParameterNameOf(opProperty.Value);
        var operand = CompileOperand(opProperty.Value, scope);
        if (operand is null)
        {
            return null;
        }

        if (operand is ConstantOperand constant)
        {
            var problem = op.Prepare(constant.Value, out _);
            if (problem is null && forCount && !IsCountOperand(constant.Value, op))
            {
                problem = op.Name is "in" or "notIn"
                    ? $"compares a count with an array of numbers, not {Describe.Value(constant.Value)}"
                    : $"compares a count with a number, not {Describe.Value(constant.Value)}";
            }

            if (problem is not null)
            {
                var subject = parameterName is null ? string.Empty : $" (from parameter '{parameterName}')";
                Error(opProperty.Value, $"'{op.Name}' {problem}{subject}");
                return null;
            }
        }

        return new Comparison(op, operand);
    }

    private static bool IsCountOperand(JsonElement value, OperatorDefinition op) =>
        op.Name is "in" or "notIn"
            ? value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number)
            : value.ValueKind == JsonValueKind.Number;

    private FieldRef? CompileFieldRef(JToken token, Scope scope, string what)
    {
        if (token.Type != JTokenType.String)
        {
            Error(token, $"'{what}' takes a path string such as properties.minimumTlsVersion, not {JsonLocations.KindOf(token)}");
            return null;
        }

        var text = (string)token!;
        if (text.Contains('/', StringComparison.Ordinal) && !text.Contains('[', StringComparison.Ordinal))
        {
            Error(token, $"'{text}' looks like an Azure Policy alias; write the JSON path into the resource instead, e.g. properties.minimumTlsVersion");
            return null;
        }

        if (!FieldPath.TryParse(text, out var path, out var error))
        {
            Error(token, $"invalid path '{text}': {error}");
            return null;
        }

        Record(path, scope);
        return Bind(path, scope);
    }

    /// <summary>Notes which resource a path is read from, for what a waiting or indexed resource must keep.</summary>
    private void Record(FieldPath path, Scope scope)
    {
        var relatedType = InsideRelated(scope);
        if (relatedType is null)
        {
            TargetPaths.Add(path);
            return;
        }

        if (!RelatedPaths.TryGetValue(relatedType, out var paths))
        {
            RelatedPaths[relatedType] = paths = [];
        }

        paths.Add(path);
    }

    private static string? InsideRelated(Scope scope)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            if (s.Kind == ScopeKind.RelatedRoot)
            {
                return s.Name ?? string.Empty;
            }
        }

        return null;
    }

    /// <summary>Binds a path to the innermost enclosing count whose array it starts with, or to the root.</summary>
    private static FieldRef Bind(FieldPath path, Scope scope)
    {
        for (var s = scope; s is not null && s.Kind != ScopeKind.Root; s = s.Parent)
        {
            if (s.Kind == ScopeKind.RelatedRoot)
            {
                break;
            }

            if (s.Kind == ScopeKind.Count && path.StartsWith(s.Prefix!))
            {
                return new FieldRef(path, s.Slot, path.Segments[s.Prefix!.Segments.Length..]);
            }
        }

        return new FieldRef(path, -1, path.Segments);
    }

    private Operand? CompileOperand(JToken token, Scope scope)
    {
        if (token.Type != JTokenType.String)
        {
            return new ConstantOperand(JsonLocations.ToElement(token), token.ToString(Newtonsoft.Json.Formatting.None));
        }

        var text = (string)token!;
        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            // "[[" escapes a literal that starts with "[", as in Azure Policy.
            var literal = text[1..];
            return new ConstantOperand(JsonSerializer.SerializeToElement(literal), literal);
        }

        if (!(text.StartsWith('[') && text.EndsWith(']')))
        {
            return new ConstantOperand(JsonSerializer.SerializeToElement(text), text);
        }

        if (!Expression.TryParse(text[1..^1], out var expression, out var syntax))
        {
            Error(token, $"unsupported expression '{text}': {syntax}. Supported: [parameters('name')], [field('path')], [resource('path')], [current('name')], [addDays(date, days)]; start a literal with '[[' to keep its '['");
            return null;
        }

        return CompileExpression(expression, token, scope, text);
    }

    private Operand? CompileExpression(Expression expression, JToken token, Scope scope, string text)
    {
        switch (expression)
        {
            case Expression.Text literal:
                return new ConstantOperand(JsonSerializer.SerializeToElement(literal.Value), $"'{literal.Value}'");
            case Expression.Number number:
                return new ConstantOperand(JsonSerializer.SerializeToElement(number.Value), number.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var call = (Expression.Call)expression;
        var function = call.Function;
        string? TextArgument(int index) =>
            call.Arguments.Count > index && call.Arguments[index] is Expression.Text t ? t.Value : null;
        var argument = TextArgument(0);
        switch (function.ToLowerInvariant())
        {
            case "parameters":
                if (argument is null || call.Arguments.Count != 1)
                {
                    Error(token, "parameters() takes the parameter's name: [parameters('name')]");
                    return null;
                }

                if (!_parameters.TryGet(argument, out var value))
                {
                    var declared = _parameters.Names.Count == 0 ? "this pack declares no parameters" : $"this pack declares {string.Join(", ", _parameters.Names)}";
                    Error(token, $"unknown parameter '{argument}'{Suggestions.DidYouMean(argument, _parameters.Names)} ({declared})");
                    return null;
                }

                return new ConstantOperand(value, $"[parameters('{argument}')]");
            case "field":
            case "resource":
                if (argument is null || call.Arguments.Count != 1 || !FieldPath.TryParse(argument, out var path, out _))
                {
                    Error(token, $"{function}() takes one path: [{function}('properties.name')]");
                    return null;
                }

                if (function.Equals("field", StringComparison.OrdinalIgnoreCase))
                {
                    // Inside a count, a path under the counted array reads the current element.
                    var bound = Bind(path, scope);
                    if (bound.HasWildcard)
                    {
                        Error(token, $"[*] cannot apply in field('{argument}'): an expression reads one value; inside a count over that array, the [*] names the current element, elsewhere use count");
                        return null;
                    }

                    Record(path, scope);
                    return new FieldOperand(bound, $"[field('{argument}')]");
                }

                if (path.HasWildcard)
                {
                    Error(token, $"[*] cannot apply in resource('{argument}'): an expression reads one value; use count to look into arrays");
                    return null;
                }

                TargetPaths.Add(path);
                return new ResourceOperand(path.Segments, $"[resource('{argument}')]");
            case "current":
                if (call.Arguments.Count > 1 || (call.Arguments.Count == 1 && argument is null))
                {
                    Error(token, "current() takes the name of an enclosing value count: [current('name')]");
                    return null;
                }

                for (var s = scope; s is not null; s = s.Parent)
                {
                    if (s.Kind == ScopeKind.ValueCount && (argument is null || string.Equals(s.Name, argument, StringComparison.OrdinalIgnoreCase)))
                    {
                        return new CurrentOperand(s.Slot, argument is null ? "[current()]" : $"[current('{argument}')]");
                    }
                }

                Error(token, argument is null
                    ? "current() is only valid inside the where of a value count"
                    : $"current('{argument}') names no enclosing value count; give the count \"name\": \"{argument}\"");
                return null;
            case "adddays":
                if (call.Arguments.Count != 2)
                {
                    Error(token, "addDays() takes a date and a number of days: [addDays(field('properties.startDateTime'), 365)]");
                    return null;
                }

                var date = call.Arguments[0] is Expression.Text dateText
                    ? new ConstantOperand(JsonSerializer.SerializeToElement(dateText.Value), $"'{dateText.Value}'")
                    : CompileExpression(call.Arguments[0], token, scope, string.Empty);
                var days = CompileExpression(call.Arguments[1], token, scope, string.Empty);
                if (date is null || days is null)
                {
                    return null;
                }

                if (days is ConstantOperand constantDays && (constantDays.Value.ValueKind != JsonValueKind.Number || !constantDays.Value.TryGetInt32(out _)))
                {
                    Error(token, $"addDays() takes a whole number of days, not {Describe.Value(constantDays.Value)}");
                    return null;
                }

                return new AddDaysOperand(date, days, $"[addDays({date.Text}, {days.Text})]");
            default:
                Error(token, $"unsupported function '{function}()'; supported: parameters(), field(), resource(), current(), addDays()");
                return null;
        }
    }

    private static string? ParameterNameOf(JToken token)
    {
        if (token.Type != JTokenType.String)
        {
            return null;
        }

        var match = ExpressionPattern().Match((string)token!);
        return match.Success && match.Groups["fn"].Value.Equals("parameters", StringComparison.OrdinalIgnoreCase) ? match.Groups["arg"].Value : null;
    }

    private static JToken? Property(JObject obj, string name) =>
        obj.Properties().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    private static bool Is(string name, string[] keys) =>
        keys.Any(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));

    private void Error(JToken token, string message) =>
        _diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(_file, token), message));

    [GeneratedRegex(@"^\[\s*(?<fn>[A-Za-z]+)\s*\(\s*(?:'(?<arg>(?:[^']|'')*)')?\s*\)\s*\]$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpressionPattern();

    [GeneratedRegex(@"^[A-Za-z0-9.]+(/[A-Za-z0-9]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceTypePattern();

    private enum ScopeKind
    {
        Root,
        Count,
        ValueCount,
        RelatedRoot,
    }

    /// <summary>Where a condition sits: inside which counts (their arrays and slots) and related wheres.</summary>
    private sealed record Scope(Scope? Parent, ScopeKind Kind, FieldPath? Prefix, string? Name, int Slot)
    {
        public static readonly Scope Root = new(null, ScopeKind.Root, null, null, -1);

        public int NextSlot
        {
            get
            {
                var slots = 0;
                for (var s = this; s is not null; s = s.Parent)
                {
                    if (s.Kind is ScopeKind.Count or ScopeKind.ValueCount)
                    {
                        slots++;
                    }
                }

                return slots;
            }
        }
    }
}
