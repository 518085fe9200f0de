using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>A value in a condition: a literal, a parameter, or a reference read at evaluation time.</summary>
internal abstract class Operand
{
    /// <summary>How the operand was written, for evidence ("[parameters('maxOwners')]", "'TLS1_2'").</summary>
    public abstract string Text { get; }

    public virtual bool IsConstant => false;

    public abstract JsonElement Get(EvaluationContext context);
}

/// <summary>A literal, or a parameter already resolved when the pack was compiled.</summary>
internal sealed class ConstantOperand(JsonElement value, string text) : Operand
{
    public JsonElement Value { get; } = value;

    public override string Text { get; } = text;

    public override bool IsConstant => true;

    public override JsonElement Get(EvaluationContext context) => Value;
}

/// <summary>[field('path')]: a value of the current resource or array element.</summary>
internal sealed class FieldOperand(FieldRef field, string text) : Operand
{
    public FieldRef Field { get; } = field;

    public override string Text { get; } = text;

    public override JsonElement Get(EvaluationContext context) => Field.ResolveSingle(context);
}

/// <summary>[resource('path')]: a value of the resource the rule evaluates, also inside related.where.</summary>
internal sealed class ResourceOperand(FieldPath path, string text) : Operand
{
    public FieldPath Path { get; } = path;

    public PathSegment[] Segments { get; } = path.Segments;

    public override string Text { get; } = text;

    public override JsonElement Get(EvaluationContext context) => PathResolver.ResolveSingle(context.Target, Segments);
}

/// <summary>[current('name')]: the element a value count is visiting.</summary>
internal sealed class CurrentOperand(int slot, string text) : Operand
{
    public override string Text { get; } = text;

    public override JsonElement Get(EvaluationContext context) =>
        slot < context.Bindings.Count ? context.Bindings[slot].Value : default;
}

/// <summary>
/// [addDays(date, days)]: an ISO-8601 date moved by a whole number of days (negative for earlier),
/// as Azure Policy's addDays. A date that does not parse makes the comparison an error.
/// </summary>
internal sealed class AddDaysOperand(Operand date, Operand days, string text) : Operand
{
    public Operand Date => date;

    public Operand Days => days;

    public override string Text { get; } = text;

    public override JsonElement Get(EvaluationContext context)
    {
        var value = date.Get(context);
        if (PathResolver.IsMissing(value))
        {
            return default;
        }

        var count = days.Get(context);
        if (value.ValueKind != JsonValueKind.String || !Dates.TryParse(value.GetString(), out var when))
        {
            context.OperandError = $"addDays() needs a date, but {date.Text} is {Describe.Value(value)}";
            return default;
        }

        if (count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out var n))
        {
            context.OperandError = $"addDays() needs a whole number of days, but {days.Text} is {Describe.Value(count)}";
            return default;
        }

        return JsonSerializer.SerializeToElement(Dates.Format(when.AddDays(n)));
    }
}
