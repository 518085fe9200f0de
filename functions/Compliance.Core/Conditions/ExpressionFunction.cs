using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>One row of the expression function table.</summary>
/// <param name="Name">The name as written in a rule (matched in any case).</param>
/// <param name="Usage">How it is called, for messages: "[parameters('name')]".</param>
/// <param name="Compile">Builds the operand from a call, or reports why it cannot (and returns null).</param>
internal sealed record ExpressionFunction(string Name, string Usage, Func<ExpressionSite, Operand?> Compile)
{
    /// <summary>
    /// For a function of values only: computes it. A call whose arguments are all known when the pack
    /// is compiled is folded into a constant; otherwise it is computed for each resource.
    /// </summary>
    public Func<JsonElement[], FunctionResult>? Evaluate { get; init; }

    /// <summary>For a function of the evaluated resource's context (<c>subscription()</c>, <c>utcNow()</c>): computes it per resource; never folded.</summary>
    public Func<JsonElement[], EvaluationContext, FunctionResult>? EvaluateIn { get; init; }

    /// <summary>The properties a context function's result has (<c>subscription().subscriptionId</c>); another one is a compile error.</summary>
    public IReadOnlyList<string>? Members { get; init; }

    public int MinArguments { get; init; }

    public int MaxArguments { get; init; } = int.MaxValue;
}
