using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Evaluation;
using Compliance.Core.Rules;
using Newtonsoft.Json.Linq;

namespace Compliance.Core.Conditions;

/// <summary>
/// Turns a condition written in a pack into a tree of compiled nodes: structure checked, paths
/// parsed and bound to the counts that enclose them, parameters resolved, patterns and durations
/// prepared. Every problem becomes a diagnostic that names the file, line, column and JSON path
/// (worded in <see cref="CompileMessages"/>); compilation goes on so that all problems of a condition
/// are reported together. Expression functions come from <see cref="ExpressionFunctions"/>; what the
/// tree reads is found afterwards by a visitor (<see cref="RuleReads"/>).
/// </summary>
internal sealed partial class ConditionCompiler
{
    private static readonly string[] LogicKeys = ["allOf", "anyOf", "not"];
    private static readonly string[] LeftKeys = ["field", "value", "count", "related"];

    private readonly string _file;
    private readonly List<RuleDiagnostic> _diagnostics = [];

    private ConditionCompiler(string file, ParameterValues parameters)
    {
        _file = file;
        Parameters = parameters;
    }

    /// <summary>The parameter values in force for this compilation.</summary>
    public ParameterValues Parameters { get; }

    /// <summary>Compiles a condition: the tree, or null and every problem found.</summary>
    public static ConditionCompilation Compile(string file, JToken token, ParameterValues parameters)
    {
        var compiler = new ConditionCompiler(file, parameters);
        var node = compiler.CompileCondition(token, CompileScope.Root);
        return new ConditionCompilation(compiler._diagnostics.Count == 0 ? node : null, [.. compiler._diagnostics]);
    }

    private ConditionNode? CompileCondition(JToken token, CompileScope scope)
    {
        if (token is not JObject obj)
        {
            Error(token, CompileMessages.NotACondition(JsonLocations.KindOf(token)));
            return null;
        }

        if (obj.Count == 0)
        {
            Error(obj, CompileMessages.EmptyCondition);
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
                Error(property, CompileMessages.UnknownKey(property.Name, Suggestions.DidYouMean(property.Name, known), Operators.Names));
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
                Error(logic[0], CompileMessages.LogicNotAlone(logic[0].Name, others));
                return null;
            }

            return CompileLogic(logic[0], scope);
        }

        if (lefts.Count == 0)
        {
            Error(obj, CompileMessages.MissingLeftSide);
            return null;
        }

        if (lefts.Count > 1)
        {
            Error(lefts[1], CompileMessages.TwoLeftSides(lefts[0].Name, lefts[1].Name));
            return null;
        }

        if (ops.Count == 0)
        {
            Error(obj, CompileMessages.MissingOperator(lefts[0].Name, Operators.Names));
            return null;
        }

        if (ops.Count > 1)
        {
            Error(ops[1].Property, CompileMessages.TwoOperators(ops[0].Property.Name, ops[1].Property.Name));
            return null;
        }

        var left = lefts[0];
        var (opProperty, op) = ops[0];

        return left.Name.ToLowerInvariant() switch
        {
            "field" => CompileFieldLeaf(left, opProperty, op, scope),
            "value" => CompileValueLeaf(left, opProperty, op, scope),
            "count" => CompileCount(left, opProperty, op, scope),
            _ => CompileRelated(left, opProperty, op, scope),
        };
    }

    private ConditionNode? CompileLogic(JProperty property, CompileScope scope)
    {
        if (property.Name.Equals("not", StringComparison.OrdinalIgnoreCase))
        {
            var child = CompileCondition(property.Value, scope);
            return child is null ? null : new NotNode(child);
        }

        if (property.Value is not JArray array || array.Count == 0)
        {
            Error(property.Value, CompileMessages.LogicNeedsConditions(property.Name, JsonLocations.KindOf(property.Value)));
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

    private FieldLeaf? CompileFieldLeaf(JProperty left, JProperty opProperty, OperatorDefinition op, CompileScope scope)
    {
        var field = CompileFieldRef(left.Value, scope, "field");
        var comparison = CompileComparison(opProperty, op, scope, forCount: false);
        return field is null || comparison is null ? null : new FieldLeaf(field, comparison);
    }

    private ValueLeaf? CompileValueLeaf(JProperty left, JProperty opProperty, OperatorDefinition op, CompileScope scope)
    {
        var operand = CompileOperand(left.Value, scope);
        var comparison = CompileComparison(opProperty, op, scope, forCount: false);
        return operand is null || comparison is null ? null : new ValueLeaf(operand, comparison);
    }

    private CountLeaf? CompileCount(JProperty left, JProperty opProperty, OperatorDefinition op, CompileScope scope)
    {
        var comparison = CompileComparison(opProperty, op, scope, forCount: true);
        if (left.Value is not JObject count)
        {
            Error(left.Value, CompileMessages.CountNotAnObject(JsonLocations.KindOf(left.Value)));
            return null;
        }

        var fieldToken = Property(count, "field");
        var valueToken = Property(count, "value");
        var nameToken = Property(count, "name");
        var whereToken = Property(count, "where");
        foreach (var extra in count.Properties().Where(p => !Is(p.Name, ["field", "value", "name", "where"])))
        {
            Error(extra, CompileMessages.CountUnknownKey(extra.Name));
        }

        if ((fieldToken is null) == (valueToken is null))
        {
            Error(count, CompileMessages.CountFieldOrValue);
            return null;
        }

        var slot = scope.NextSlot;
        if (fieldToken is not null)
        {
            if (nameToken is not null)
            {
                Error(nameToken.Parent!, CompileMessages.CountNameWithField);
            }

            var field = CompileFieldRef(fieldToken, scope, "count.field");
            if (field is null)
            {
                return null;
            }

            if (!field.Written.EndsWithWildcard)
            {
                Error(fieldToken, CompileMessages.CountFieldWithoutWildcard(field.Written.Text));
                return null;
            }

            ConditionNode? where = null;
            if (whereToken is not null)
            {
                where = CompileCondition(whereToken, new CompileScope(scope, CompileScopeKind.Count, field.Written, null, slot));
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
            Error(valueToken!, CompileMessages.CountValueNotAnArray(Describe.Kind(constant.Value)));
            return null;
        }

        string? name = null;
        if (nameToken is not null)
        {
            if (nameToken.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)nameToken))
            {
                Error(nameToken, CompileMessages.CountNameNotAString);
                return null;
            }

            name = (string)nameToken!;
        }

        ConditionNode? valueWhere = null;
        if (whereToken is not null)
        {
            valueWhere = CompileCondition(whereToken, new CompileScope(scope, CompileScopeKind.ValueCount, null, name, slot));
            if (valueWhere is null)
            {
                return null;
            }
        }

        return values is null || comparison is null ? null : new CountLeaf(null, values, slot, valueWhere, comparison);
    }

    private RelatedLeaf? CompileRelated(JProperty left, JProperty opProperty, OperatorDefinition op, CompileScope scope)
    {
        var comparison = CompileComparison(opProperty, op, scope, forCount: true);
        if (left.Value is not JObject related)
        {
            Error(left.Value, CompileMessages.RelatedNotAnObject(JsonLocations.KindOf(left.Value)));
            return null;
        }

        var typeToken = Property(related, "type");
        var scopeToken = Property(related, "scope");
        var whereToken = Property(related, "where");
        var failed = false;
        if (typeToken?.Type != JTokenType.String || !ResourceTypePattern().IsMatch((string)typeToken!))
        {
            Error(typeToken ?? related, CompileMessages.RelatedType);
            failed = true;
        }

        RelatedScope relatedScope = default;
        var scopeText = scopeToken?.Type == JTokenType.String ? (string)scopeToken! : null;
        switch (scopeText?.ToLowerInvariant())
        {
            case "children":
                relatedScope = RelatedScope.Children;
                break;
            case "resourcegroup":
                relatedScope = RelatedScope.ResourceGroup;
                break;
            case "subscription":
                relatedScope = RelatedScope.Subscription;
                break;
            case "tenant":
                relatedScope = RelatedScope.Tenant;
                break;
            default:
                Error(scopeToken ?? related, CompileMessages.RelatedScope(scopeText));
                failed = true;
                break;
        }

        ConditionNode? where = null;
        if (whereToken is not null)
        {
            if (scope.RelatedType is not null)
            {
                Error(left, CompileMessages.RelatedNested);
                return null;
            }

            where = CompileCondition(whereToken, new CompileScope(scope, CompileScopeKind.RelatedRoot, null, typeToken?.Type == JTokenType.String ? (string)typeToken! : null, -1));
            failed |= where is null;
        }

        if (failed || comparison is null)
        {
            return null;
        }

        // Inside a count the result may depend on the element visited, so it is not reused.
        var memoizable = scope.NextSlot == 0;
        return new RelatedLeaf((string)typeToken!, relatedScope, where, RelatedJoin.In(where), comparison, memoizable);
    }

    private Comparison? CompileComparison(JProperty opProperty, OperatorDefinition op, CompileScope scope, bool forCount)
    {
        if (forCount && !op.CountComparison)
        {
            Error(opProperty, CompileMessages.NotACountOperator(op.Name));
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
                    ? CompileMessages.CountNeedsNumbers(Describe.Value(constant.Value))
                    : CompileMessages.CountNeedsNumber(Describe.Value(constant.Value));
            }

            if (problem is not null)
            {
                Error(opProperty.Value, CompileMessages.OperatorValue(op.Name, problem, parameterName));
                return null;
            }
        }

        return new Comparison(op, operand);
    }

    private static bool IsCountOperand(JsonElement value, OperatorDefinition op) =>
        op.Name is "in" or "notIn"
            ? value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number)
            : value.ValueKind == JsonValueKind.Number;

    private FieldRef? CompileFieldRef(JToken token, CompileScope scope, string what)
    {
        if (token.Type != JTokenType.String)
        {
            Error(token, CompileMessages.PathNotAString(what, JsonLocations.KindOf(token)));
            return null;
        }

        var text = (string)token!;
        if (text.Contains('/', StringComparison.Ordinal) && !text.Contains('[', StringComparison.Ordinal))
        {
            Error(token, CompileMessages.LooksLikeAlias(text));
            return null;
        }

        if (!FieldPath.TryParse(text, out var path, out var error))
        {
            Error(token, CompileMessages.InvalidPath(text, error));
            return null;
        }

        return Bind(path, scope);
    }

    /// <summary>Binds a path to the innermost enclosing count whose array it starts with, or to the root.</summary>
    public static FieldRef Bind(FieldPath path, CompileScope scope)
    {
        for (var s = scope; s is not null && s.Kind != CompileScopeKind.Root; s = s.Parent)
        {
            if (s.Kind == CompileScopeKind.RelatedRoot)
            {
                break;
            }

            if (s.Kind == CompileScopeKind.Count && path.StartsWith(s.Prefix!))
            {
                return new FieldRef(path, s.Slot, path.Segments[s.Prefix!.Segments.Length..]);
            }
        }

        return new FieldRef(path, -1, path.Segments);
    }

    private Operand? CompileOperand(JToken token, CompileScope scope)
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
            Error(token, CompileMessages.UnsupportedExpression(text, syntax, ExpressionFunctions.Usages));
            return null;
        }

        return CompileExpression(expression, token, scope);
    }

    /// <summary>A literal, a number, or a call of a function of <see cref="ExpressionFunctions"/>.</summary>
    public Operand? CompileExpression(Expression expression, JToken token, CompileScope scope)
    {
        switch (expression)
        {
            case Expression.Text literal:
                return new ConstantOperand(JsonSerializer.SerializeToElement(literal.Value), $"'{literal.Value}'");
            case Expression.Number number:
                return new ConstantOperand(JsonSerializer.SerializeToElement(number.Value), number.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (expression is Expression.Literal folded)
        {
            return new ConstantOperand(folded.Value, Expression.Print(folded));
        }

        if (expression is Expression.Member or Expression.Index)
        {
            return CompileAccess(expression, token, scope);
        }

        var call = (Expression.Call)expression;
        if (!ExpressionFunctions.TryGet(call.Function, out var function))
        {
            Error(token, CompileMessages.UnsupportedFunction(call.Function, ExpressionFunctions.Names));
            return null;
        }

        return function.Compile(new ExpressionSite(this, call, token, scope));
    }

    /// <summary><c>x.name</c> and <c>x[i]</c>: taken now when x is known, else for each resource.</summary>
    private Operand? CompileAccess(Expression expression, JToken token, CompileScope scope)
    {
        var (targetExpression, keyExpression) = expression switch
        {
            Expression.Member member => (member.Target, (Expression)new Expression.Text(member.Name)),
            Expression.Index index => (index.Target, index.Position),
            _ => throw new ArgumentOutOfRangeException(nameof(expression)),
        };

        if (expression is Expression.Member { Target: Expression.Call call } named &&
            ExpressionFunctions.TryGet(call.Function, out var function) && function.Members is { } members &&
            !members.Contains(named.Name, StringComparer.OrdinalIgnoreCase))
        {
            Error(token, CompileMessages.UnknownMember(function.Name, named.Name, members));
            return null;
        }

        var target = CompileExpression(targetExpression, token, scope);
        var key = CompileExpression(keyExpression, token, scope);
        if (target is null || key is null)
        {
            return null;
        }

        var text = "[" + expression.ToSource() + "]";
        if (target is ConstantOperand constantTarget && key is ConstantOperand constantKey)
        {
            var result = TemplateFunctions.Access(constantTarget.Value, constantKey.Value, text);
            if (result.Error is { } error)
            {
                Error(token, CompileMessages.FunctionFailed(text, error));
                return null;
            }

            return new ConstantOperand(result.Value, text);
        }

        return new AccessOperand(target, key, text);
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

    public void Error(JToken token, string message) =>
        _diagnostics.Add(new RuleDiagnostic(JsonLocations.Of(_file, token), message));

    [GeneratedRegex(@"^\[\s*(?<fn>[A-Za-z]+)\s*\(\s*(?:'(?<arg>(?:[^']|'')*)')?\s*\)\s*\]$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpressionPattern();

    [GeneratedRegex(@"^[A-Za-z0-9.]+(/[A-Za-z0-9]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceTypePattern();
}
