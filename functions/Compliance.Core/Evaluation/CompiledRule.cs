using Compliance.Core.Conditions;
using Compliance.Core.Rules;

namespace Compliance.Core.Evaluation;

/// <summary>A rule ready to evaluate: its conditions compiled with the scan's parameter values.</summary>
public sealed class CompiledRule
{
    internal CompiledRule(Rule rule, RulePack pack, ConditionNode? where, ConditionNode condition, bool usesRelated, IReadOnlySet<string> relatedTypes, IReadOnlyList<(string Type, RelatedScope Scope)> relatedUses)
    {
        RelatedUses = relatedUses;
        Rule = rule;
        Pack = pack;
        Where = where;
        Condition = condition;
        UsesRelated = usesRelated;
        RelatedTypes = relatedTypes;
    }

    public Rule Rule { get; }

    public RulePack Pack { get; }

    /// <summary>Whether the rule counts other resources, so it is evaluated once the whole snapshot is read.</summary>
    public bool UsesRelated { get; }

    public IReadOnlySet<string> RelatedTypes { get; }

    internal IReadOnlyList<(string Type, RelatedScope Scope)> RelatedUses { get; }

    internal ConditionNode? Where { get; }

    internal ConditionNode Condition { get; }
}
