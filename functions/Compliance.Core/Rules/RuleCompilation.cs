using Compliance.Core.Conditions;
using Compliance.Core.Evaluation;
using Newtonsoft.Json.Linq;

namespace Compliance.Core.Rules;

/// <summary>
/// A rule's where and condition compiled with one set of parameter values, what they read, and every
/// problem found: one immutable result. The loader compiles each rule once with the pack defaults;
/// a scan reuses that unless it overrides a parameter of the pack.
/// </summary>
internal sealed record RuleCompilation(ConditionNode? Where, ConditionNode? Condition, RuleReads Reads, IReadOnlyList<RuleDiagnostic> Diagnostics)
{
    public bool Succeeded => Condition is not null && Diagnostics.Count == 0;

    public static RuleCompilation Compile(string file, JToken? where, JToken? condition, ParameterValues parameters)
    {
        var compiledWhere = where is null ? null : ConditionCompiler.Compile(file, where, parameters);
        var compiledCondition = condition is null ? null : ConditionCompiler.Compile(file, condition, parameters);
        var diagnostics = (compiledWhere?.Diagnostics ?? []).Concat(compiledCondition?.Diagnostics ?? []).ToList();
        return new RuleCompilation(compiledWhere?.Node, compiledCondition?.Node, RuleReads.Of(compiledWhere?.Node, compiledCondition?.Node), diagnostics);
    }
}
