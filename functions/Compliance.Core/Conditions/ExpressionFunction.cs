namespace Compliance.Core.Conditions;

/// <summary>One row of the expression function table.</summary>
/// <param name="Name">The name as written in a rule (matched in any case).</param>
/// <param name="Usage">How it is called, for messages: "[parameters('name')]".</param>
/// <param name="Compile">Builds the operand from a call, or reports why it cannot (and returns null).</param>
internal sealed record ExpressionFunction(string Name, string Usage, Func<ExpressionSite, Operand?> Compile);
