using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>What a fold needs from its caller: parameter values, the policy() object, and how a field() path is read.</summary>
/// <param name="Parameter">The value of a parameter, or throws <see cref="TemplateFoldException"/> saying why there is none.</param>
/// <param name="Policy">What <c>policy()</c> gives (assignmentId, definitionId, …), or null when unknown.</param>
/// <param name="Field">The expression a <c>field('path')</c> becomes (its path translated, or <c>resource('…')</c>).</param>
/// <param name="Current">The expression a <c>current(…)</c> becomes (given its argument, or null for none).</param>
internal sealed record FoldContext(Func<string, JsonElement> Parameter, JsonElement? Policy, Func<string, Expression> Field, Func<string?, Expression> Current);

/// <summary>Why an expression cannot be folded or kept: the message names the call.</summary>
internal class TemplateFoldException : Exception
{
    public TemplateFoldException(string message)
        : base(message)
    {
    }

    public TemplateFoldException()
    {
    }

    public TemplateFoldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Partial evaluation of a template expression with the function table of
/// <see cref="ExpressionFunctions"/>: every call whose arguments are known (parameters, literals,
/// <c>policy()</c>) becomes its value; what reads the resource (<c>field()</c>, <c>current()</c>,
/// <c>subscription()</c>) is kept, with its known parts folded inside. The importer of Azure Policy
/// definitions uses it so that a converted rule holds values, not the definition's parameters; what it
/// keeps, the rule compiler computes per resource with the same table.
/// </summary>
internal static class TemplateFolding
{
    public static Expression Fold(Expression expression, FoldContext context) => expression switch
    {
        Expression.Text text => new Expression.Literal(JsonSerializer.SerializeToElement(text.Value)),
        Expression.Number number => new Expression.Literal(JsonSerializer.SerializeToElement(number.Value)),
        Expression.Literal literal => literal,
        Expression.Call call => FoldCall(call, context),
        Expression.Member member => FoldAccess(member, member.Target, new Expression.Text(member.Name), context),
        Expression.Index index => FoldAccess(index, index.Target, index.Position, context),
        _ => throw new ArgumentOutOfRangeException(nameof(expression)),
    };

    /// <summary>Whether an expression is a value (nothing left to compute per resource).</summary>
    public static bool IsValue(Expression expression, out JsonElement value)
    {
        value = expression is Expression.Literal literal ? literal.Value : default;
        return expression is Expression.Literal;
    }

    private static Expression FoldCall(Expression.Call call, FoldContext context)
    {
        if (!ExpressionFunctions.TryGet(call.Function, out var function))
        {
            throw new TemplateFoldException(CompileMessages.UnsupportedFunction(call.Function, ExpressionFunctions.Names));
        }

        var count = call.Arguments.Count;
        switch (function.Name)
        {
            case "parameters":
                return new Expression.Literal(context.Parameter(TextArgument(call, context, "parameters() takes the parameter's name")));
            case "policy":
                return context.Policy is { } policy
                    ? new Expression.Literal(policy)
                    : throw new TemplateFoldException("policy() describes the assignment, which a definition read from a file does not have; import it with --live to know its assignmentId");
            case "field":
                return context.Field(TextArgument(call, context, "field() takes one path"));
            case "current":
                return context.Current(count == 0 ? null : TextArgument(call, context, "current() takes the name of a value count or an array path"));
            case "if" when count == 3:
                var condition = Fold(call.Arguments[0], context);
                if (IsValue(condition, out var known))
                {
                    return ValueComparer.TryAsBool(known, out var taken)
                        ? Fold(call.Arguments[taken ? 1 : 2], context)
                        : throw new TemplateFoldException($"[{call.ToSource()}]: if() takes a boolean condition, not {Describe.Value(known)}");
                }

                return call with { Arguments = [condition, Fold(call.Arguments[1], context), Fold(call.Arguments[2], context)] };
        }

        if (count < function.MinArguments || count > function.MaxArguments)
        {
            throw new TemplateFoldException(CompileMessages.FunctionArity(function.Name, function.MinArguments, function.MaxArguments, function.Usage));
        }

        var arguments = call.Arguments.Select(a => Fold(a, context)).ToList();
        if (function.Evaluate is { } evaluate && arguments.All(a => a is Expression.Literal))
        {
            var result = evaluate([.. arguments.Select(a => ((Expression.Literal)a).Value)]);
            return result.Error is { } error
                ? throw new TemplateFoldException(CompileMessages.FunctionFailed($"[{call.ToSource()}]", error))
                : new Expression.Literal(result.Value);
        }

        return call with { Arguments = arguments };
    }

    private static Expression FoldAccess(Expression whole, Expression target, Expression key, FoldContext context)
    {
        if (whole is Expression.Member { Target: Expression.Call call } member &&
            ExpressionFunctions.TryGet(call.Function, out var function) && function.Members is { } members &&
            !members.Contains(member.Name, StringComparer.OrdinalIgnoreCase))
        {
            throw new TemplateFoldException(CompileMessages.UnknownMember(function.Name, member.Name, members));
        }

        var foldedTarget = Fold(target, context);
        var foldedKey = Fold(key, context);
        if (IsValue(foldedTarget, out var value) && IsValue(foldedKey, out var keyValue))
        {
            var result = TemplateFunctions.Access(value, keyValue, $"[{whole.ToSource()}]");
            return result.Error is { } error ? throw new TemplateFoldException(error) : new Expression.Literal(result.Value);
        }

        return whole switch
        {
            Expression.Member m => new Expression.Member(foldedTarget, m.Name),
            _ => new Expression.Index(foldedTarget, foldedKey),
        };
    }

    private static string TextArgument(Expression.Call call, FoldContext context, string usage)
    {
        if (call.Arguments.Count == 1 && Fold(call.Arguments[0], context) is Expression.Literal { Value.ValueKind: JsonValueKind.String } literal)
        {
            return literal.Value.GetString()!;
        }

        throw new TemplateFoldException($"[{call.ToSource()}]: {usage}");
    }
}
