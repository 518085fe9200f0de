using Newtonsoft.Json.Linq;

namespace Compliance.Core.Conditions;

/// <summary>A function call being compiled: the call, where it is written, and what encloses it.</summary>
internal readonly record struct ExpressionSite(ConditionCompiler Compiler, Expression.Call Call, JToken Token, CompileScope Scope)
{
    /// <summary>The argument at <paramref name="index"/> when it is a quoted string, else null.</summary>
    public string? TextArgument(int index) =>
        Call.Arguments.Count > index && Call.Arguments[index] is Expression.Text text ? text.Value : null;

    /// <summary>Reports a problem at the call; returns null for the caller to return.</summary>
    public Operand? Fail(string message)
    {
        Compiler.Error(Token, message);
        return null;
    }
}
