using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>
/// A template function computed for each resource, because an argument reads the resource
/// (<c>[split(field('name'), '/')]</c>) or the function reads its context (<c>[subscription()]</c>).
/// A function that cannot compute its value makes the comparison an error, never a pass or a fail.
/// </summary>
internal sealed class FunctionOperand(ExpressionFunction function, Operand[] arguments, string text) : Operand
{
    public ExpressionFunction Function => function;

    public IReadOnlyList<Operand> Arguments => arguments;

    public override string Text { get; } = text;

    public override JsonElement Get(EvaluationContext context)
    {
        var values = new JsonElement[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            values[i] = arguments[i].Get(context);
            if (context.OperandError is not null)
            {
                return default;
            }
        }

        var result = function.EvaluateIn is { } contextual ? contextual(values, context) : function.Evaluate!(values);
        if (result.Error is { } error)
        {
            context.OperandError = $"{Text}: {error}";
            return default;
        }

        return result.Value;
    }
}

/// <summary><c>x.name</c> or <c>x[i]</c> on a value computed per resource (<c>[split(field('id'), '/')[2]]</c>).</summary>
internal sealed class AccessOperand(Operand target, Operand key, string text) : Operand
{
    public Operand Target => target;

    public Operand Key => key;

    public override string Text { get; } = text;

    public override JsonElement Get(EvaluationContext context)
    {
        var value = target.Get(context);
        if (context.OperandError is not null)
        {
            return default;
        }

        var index = key.Get(context);
        var result = TemplateFunctions.Access(value, index, Text);
        if (result.Error is { } error)
        {
            context.OperandError = error;
            return default;
        }

        return result.Value;
    }
}

/// <summary>
/// [field('path[*]…')] where no enclosing count binds the [*]: the array of every value the path
/// reaches, as Azure Policy's field() gives for an array alias. A [*] over a value that exists but is
/// not an array makes it an error.
/// </summary>
internal sealed class FieldValuesOperand(FieldRef field, string text) : Operand
{
    public FieldRef Field { get; } = field;

    public override string Text { get; } = text;

    public override JsonElement Get(EvaluationContext context)
    {
        var values = context.RentList();
        try
        {
            string? error = null;
            string? notIterable = null;
            Field.ResolveMany(context, withPaths: false, values, ref error, ref notIterable);
            if (error is not null)
            {
                context.OperandError = $"{Text}: {error}";
                return default;
            }

            return JsonSerializer.SerializeToElement(values.Where(v => v.Value.ValueKind != JsonValueKind.Undefined).Select(v => v.Value));
        }
        finally
        {
            context.Return(values);
        }
    }
}
