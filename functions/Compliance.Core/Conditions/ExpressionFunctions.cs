using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using T = Compliance.Core.Conditions.TemplateFunctions;

namespace Compliance.Core.Conditions;

/// <summary>
/// The expression function table, PSRule-style: one descriptor per function a rule may call inside
/// <c>[…]</c>, registered by name. Adding a function is one row below (and, for a function of values,
/// its body in <see cref="TemplateFunctions"/>); the "supported" lists of the compile messages come
/// from the table. A function of values is folded when the pack is compiled if its arguments are all
/// known then (parameters, literals), and computed per resource otherwise (over <c>field()</c>).
/// </summary>
internal static class ExpressionFunctions
{
    private static readonly ExpressionFunction[] Rows =
    [
        new("parameters", "[parameters('name')]", Parameters),
        new("field", "[field('path')]", Field),
        new("resource", "[resource('path')]", Resource),
        new("current", "[current('name')]", Current),
        new("addDays", "[addDays(date, days)]", AddDays),
        new("if", "[if(condition, whenTrue, whenFalse)]", If) { Evaluate = T.If, MinArguments = 3, MaxArguments = 3 },
        Values("equals", "[equals(a, b)]", T.Equals, 2, 2),
        Values("not", "[not(boolean)]", T.Not, 1, 1),
        Values("and", "[and(a, b, …)]", T.And, 1),
        Values("or", "[or(a, b, …)]", T.Or, 1),
        Values("bool", "[bool(value)]", T.ToBool, 1, 1),
        Values("true", "[true()]", T.True, 0, 0),
        Values("false", "[false()]", T.False, 0, 0),
        Values("greater", "[greater(a, b)]", T.Greater, 2, 2),
        Values("greaterOrEquals", "[greaterOrEquals(a, b)]", T.GreaterOrEquals, 2, 2),
        Values("less", "[less(a, b)]", T.Less, 2, 2),
        Values("lessOrEquals", "[lessOrEquals(a, b)]", T.LessOrEquals, 2, 2),
        Values("contains", "[contains(container, item)]", T.Contains, 2, 2),
        Values("empty", "[empty(value)]", T.Empty, 1, 1),
        Values("length", "[length(value)]", T.Length, 1, 1),
        Values("first", "[first(array)]", T.First, 1, 1),
        Values("last", "[last(array)]", T.Last, 1, 1),
        Values("concat", "[concat(a, b, …)]", T.Concat, 1),
        Values("toLower", "[toLower(text)]", T.ToLower, 1, 1),
        Values("toUpper", "[toUpper(text)]", T.ToUpper, 1, 1),
        Values("trim", "[trim(text)]", T.Trim, 1, 1),
        Values("replace", "[replace(text, old, new)]", T.Replace, 3, 3),
        Values("split", "[split(text, delimiter)]", T.Split, 2, 2),
        Values("substring", "[substring(text, start, length)]", T.Substring, 2, 3),
        Values("startsWith", "[startsWith(text, prefix)]", T.StartsWith, 2, 2),
        Values("endsWith", "[endsWith(text, suffix)]", T.EndsWith, 2, 2),
        Values("indexOf", "[indexOf(text, part)]", T.IndexOf, 2, 2),
        Values("lastIndexOf", "[lastIndexOf(text, part)]", T.LastIndexOf, 2, 2),
        Values("padLeft", "[padLeft(value, length, character)]", T.PadLeft, 2, 3),
        Values("int", "[int(value)]", T.Int, 1, 1),
        Values("string", "[string(value)]", T.ToStringValue, 1, 1),
        Values("json", "[json(text)]", T.Json, 1, 1),
        Values("base64", "[base64(text)]", T.Base64, 1, 1),
        Values("base64ToString", "[base64ToString(text)]", T.Base64ToString, 1, 1),
        Values("createArray", "[createArray(a, b, …)]", T.CreateArray, 0),
        Values("array", "[array(value)]", T.ToArray, 1, 1),
        Values("createObject", "[createObject(name, value, …)]", T.CreateObject, 0),
        Values("coalesce", "[coalesce(a, b, …)]", T.Coalesce, 1),
        Values("union", "[union(a, b, …)]", T.Union, 1),
        Values("intersection", "[intersection(a, b, …)]", T.Intersection, 1),
        Values("take", "[take(value, count)]", T.Take, 2, 2),
        Values("skip", "[skip(value, count)]", T.Skip, 2, 2),
        Values("tryGet", "[tryGet(value, key)]", T.TryGet, 2, 2),
        Values("join", "[join(array, delimiter)]", T.Join, 2, 2),
        Values("format", "[format('{0}…', a, …)]", T.Format, 1),
        Values("add", "[add(a, b)]", T.Add, 2, 2),
        Values("sub", "[sub(a, b)]", T.Sub, 2, 2),
        Values("mul", "[mul(a, b)]", T.Mul, 2, 2),
        Values("div", "[div(a, b)]", T.Div, 2, 2),
        Values("mod", "[mod(a, b)]", T.Mod, 2, 2),
        Values("min", "[min(a, b, …)]", T.Min, 1),
        Values("max", "[max(a, b, …)]", T.Max, 1),
        Values("ipRangeContains", "[ipRangeContains(range, address)]", T.IpRangeContains, 2, 2),
        Values("requestContext", "[requestContext().apiVersion]", _ => FunctionResult.Of(JsonSerializer.SerializeToElement(new { apiVersion = T.LatestApiVersion })), 0, 0) with { Members = ["apiVersion"] },
        Context("subscription", "[subscription().subscriptionId]", Subscription, ["id", "subscriptionId", "tenantId"]),
        Context("resourceGroup", "[resourceGroup().name]", ResourceGroup, ["id", "name"]),
        Context("utcNow", "[utcNow()]", UtcNow, null, 0, 1),
        new("policy", "[policy().assignmentId]", site => site.Fail(CompileMessages.PolicyFunctionOutsideImport)),
    ];

    private static readonly FrozenDictionary<string, ExpressionFunction> ByName =
        Rows.ToFrozenDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => Rows.Select(r => r.Name);

    public static IEnumerable<string> Usages => Rows.Take(5).Select(r => r.Usage).Append("and the ARM template functions listed in rules/README.md");

    public static bool TryGet(string name, out ExpressionFunction function) => ByName.TryGetValue(name, out function!);

    private static ExpressionFunction Values(string name, string usage, Func<JsonElement[], FunctionResult> evaluate, int min, int max = int.MaxValue) =>
        new(name, usage, CompileValues) { Evaluate = evaluate, MinArguments = min, MaxArguments = max };

    private static ExpressionFunction Context(string name, string usage, Func<JsonElement[], EvaluationContext, FunctionResult> evaluate, IReadOnlyList<string>? members, int min = 0, int max = 0) =>
        new(name, usage, CompileValues) { EvaluateIn = evaluate, Members = members, MinArguments = min, MaxArguments = max };

    /// <summary>A function of values (or of the evaluated resource's context): folded now when it can be, else computed per resource.</summary>
    private static Operand? CompileValues(ExpressionSite site)
    {
        var function = ByName[site.Call.Function];
        if (!CheckArity(site, function))
        {
            return null;
        }

        var arguments = new Operand[site.Call.Arguments.Count];
        var failed = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = site.Compiler.CompileExpression(site.Call.Arguments[i], site.Token, site.Scope);
            failed |= argument is null;
            arguments[i] = argument!;
        }

        if (failed)
        {
            return null;
        }

        var text = "[" + site.Call.ToSource() + "]";
        if (function.Evaluate is { } evaluate && arguments.All(a => a is ConstantOperand))
        {
            var result = evaluate([.. arguments.Select(a => ((ConstantOperand)a).Value)]);
            return result.Error is { } error ? site.Fail(CompileMessages.FunctionFailed(text, error)) : new ConstantOperand(result.Value, text);
        }

        return new FunctionOperand(function, arguments, text);
    }

    private static bool CheckArity(ExpressionSite site, ExpressionFunction function)
    {
        var count = site.Call.Arguments.Count;
        if (count >= function.MinArguments && count <= function.MaxArguments)
        {
            return true;
        }

        site.Fail(CompileMessages.FunctionArity(function.Name, function.MinArguments, function.MaxArguments, function.Usage));
        return false;
    }

    /// <summary>[if(condition, a, b)]: with a condition known at compile time, only the branch taken is compiled.</summary>
    private static Operand? If(ExpressionSite site)
    {
        var function = ByName["if"];
        if (!CheckArity(site, function))
        {
            return null;
        }

        var condition = site.Compiler.CompileExpression(site.Call.Arguments[0], site.Token, site.Scope);
        if (condition is ConstantOperand constant)
        {
            if (!ValueComparer.TryAsBool(constant.Value, out var taken))
            {
                return site.Fail(CompileMessages.FunctionFailed("[" + site.Call.ToSource() + "]", $"if() takes a boolean condition, not {Describe.Value(constant.Value)}"));
            }

            return site.Compiler.CompileExpression(site.Call.Arguments[taken ? 1 : 2], site.Token, site.Scope);
        }

        return condition is null ? null : CompileValues(site);
    }

    /// <summary>[parameters('name')]: the parameter's value in force, resolved once when the pack is compiled.</summary>
    private static Operand? Parameters(ExpressionSite site)
    {
        var name = site.TextArgument(0);
        if (name is null || site.Call.Arguments.Count != 1)
        {
            return site.Fail(CompileMessages.FunctionUsage("parameters() takes the parameter's name", "[parameters('name')]"));
        }

        if (!site.Compiler.Parameters.TryGet(name, out var value))
        {
            var declared = site.Compiler.Parameters.Names;
            return site.Fail(CompileMessages.UnknownParameter(name, Rules.Suggestions.DidYouMean(name, declared), declared));
        }

        return new ConstantOperand(value, $"[parameters('{name}')]");
    }

    /// <summary>
    /// [field('path')]: another value of the resource; inside a count, under the counted path, of the
    /// current element. A [*] no enclosing count binds gives the array of every value it reaches, as
    /// Azure Policy's field() does.
    /// </summary>
    private static Operand? Field(ExpressionSite site)
    {
        if (OnePath(site, "field") is not { } path)
        {
            return null;
        }

        var bound = ConditionCompiler.Bind(path, site.Scope);
        return bound.HasWildcard
            ? new FieldValuesOperand(bound, $"[field('{path.Text}')]")
            : new FieldOperand(bound, $"[field('{path.Text}')]");
    }

    /// <summary>[resource('path')]: a value of the resource the rule evaluates, also inside related.where.</summary>
    private static Operand? Resource(ExpressionSite site)
    {
        if (OnePath(site, "resource") is not { } path)
        {
            return null;
        }

        return path.HasWildcard
            ? site.Fail(CompileMessages.WildcardInResource(path.Text))
            : new ResourceOperand(path, $"[resource('{path.Text}')]");
    }

    private static FieldPath? OnePath(ExpressionSite site, string function)
    {
        var argument = site.TextArgument(0);
        if (argument is null || site.Call.Arguments.Count != 1 || !FieldPath.TryParse(argument, out var path, out _))
        {
            site.Fail(CompileMessages.FunctionUsage($"{site.Call.Function}() takes one path", $"[{site.Call.Function}('properties.name')]"));
            return null;
        }

        return path;
    }

    /// <summary>[current('name')]: the element an enclosing value count visits.</summary>
    private static Operand? Current(ExpressionSite site)
    {
        var name = site.TextArgument(0);
        if (site.Call.Arguments.Count > 1 || (site.Call.Arguments.Count == 1 && name is null))
        {
            return site.Fail(CompileMessages.FunctionUsage("current() takes the name of an enclosing value count", "[current('name')]"));
        }

        if (site.Scope.ValueCountSlot(name) is { } slot)
        {
            return new CurrentOperand(slot, name is null ? "[current()]" : $"[current('{name}')]");
        }

        return site.Fail(name is null ? CompileMessages.CurrentOutsideValueCount : CompileMessages.CurrentWithoutCount(name));
    }

    /// <summary>[addDays(date, days)]: a date moved by a whole number of days, as Azure Policy's addDays.</summary>
    private static Operand? AddDays(ExpressionSite site)
    {
        if (site.Call.Arguments.Count != 2)
        {
            return site.Fail(CompileMessages.FunctionUsage("addDays() takes a date and a number of days", "[addDays(field('properties.startDateTime'), 365)]"));
        }

        var date = site.Call.Arguments[0] is Expression.Text dateText
            ? new ConstantOperand(JsonSerializer.SerializeToElement(dateText.Value), $"'{dateText.Value}'")
            : site.Compiler.CompileExpression(site.Call.Arguments[0], site.Token, site.Scope);
        var days = site.Compiler.CompileExpression(site.Call.Arguments[1], site.Token, site.Scope);
        if (date is null || days is null)
        {
            return null;
        }

        if (days is ConstantOperand constantDays && (constantDays.Value.ValueKind != JsonValueKind.Number || !constantDays.Value.TryGetInt32(out _)))
        {
            return site.Fail(CompileMessages.AddDaysWholeDays(Describe.Value(constantDays.Value)));
        }

        return new AddDaysOperand(date, days, string.Create(CultureInfo.InvariantCulture, $"[addDays({date.Text}, {days.Text})]"));
    }

    /// <summary>subscription(): the evaluated resource's subscription (id, subscriptionId, tenantId).</summary>
    private static FunctionResult Subscription(JsonElement[] arguments, EvaluationContext context) =>
        context.TargetSubscriptionId is { } subscription
            ? FunctionResult.Of(JsonSerializer.SerializeToElement(new { id = "/subscriptions/" + subscription, subscriptionId = subscription, tenantId = context.TenantId }))
            : FunctionResult.Fail($"subscription(): '{context.TargetId}' is not in a subscription");

    /// <summary>resourceGroup(): the evaluated resource's resource group (id, name), from its id.</summary>
    private static FunctionResult ResourceGroup(JsonElement[] arguments, EvaluationContext context) =>
        Snapshots.ResourceIds.ResourceGroupIdOf(context.TargetId) is { } id
            ? FunctionResult.Of(JsonSerializer.SerializeToElement(new { id, name = Snapshots.ResourceIds.LastSegment(id) }))
            : FunctionResult.Fail($"resourceGroup(): '{context.TargetId}' is not in a resource group");

    /// <summary>utcNow(): the scan's clock (the snapshot's collection time), in Azure Policy's format by default.</summary>
    private static FunctionResult UtcNow(JsonElement[] arguments, EvaluationContext context)
    {
        var format = arguments.Length > 0 && arguments[0].ValueKind == JsonValueKind.String ? arguments[0].GetString()! : "yyyy-MM-ddTHH:mm:ss.fffffffZ";
        try
        {
            return FunctionResult.Of(context.Now.UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
        }
        catch (FormatException ex)
        {
            return FunctionResult.Fail($"utcNow(): {ex.Message}");
        }
    }
}
