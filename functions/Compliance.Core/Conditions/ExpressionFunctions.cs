using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>
/// The expression function table, PSRule-style: one descriptor per function a rule may call inside
/// <c>[…]</c>, registered by name. Adding a function is one compile method and one row below; the
/// "supported" lists of the compile messages come from the table.
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
    ];

    private static readonly FrozenDictionary<string, ExpressionFunction> ByName =
        Rows.ToFrozenDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => Rows.Select(r => r.Name);

    public static IEnumerable<string> Usages => Rows.Select(r => r.Usage);

    public static bool TryGet(string name, out ExpressionFunction function) => ByName.TryGetValue(name, out function!);

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

    /// <summary>[field('path')]: another value of the resource; inside a count, under the counted path, of the current element.</summary>
    private static Operand? Field(ExpressionSite site)
    {
        if (OnePath(site, "field") is not { } path)
        {
            return null;
        }

        var bound = ConditionCompiler.Bind(path, site.Scope);
        return bound.HasWildcard
            ? site.Fail(CompileMessages.WildcardInField(path.Text))
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
}
