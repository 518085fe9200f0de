using Compliance.Core.Conditions;
using Compliance.Core.Rules;

namespace Compliance.Core.Evaluation;

/// <summary>A rule ready to evaluate: its conditions compiled with the scan's parameter values.</summary>
public sealed class CompiledRule
{
    internal CompiledRule(Rule rule, RulePack pack, ConditionNode? where, ConditionNode condition, bool usesRelated, IReadOnlySet<string> relatedTypes, IReadOnlyList<(string Type, RelatedScope Scope)> relatedUses, IReadOnlyList<FieldPath> targetPaths, IReadOnlyDictionary<string, List<FieldPath>> relatedPaths)
    {
        RelatedUses = relatedUses;
        TargetPaths = targetPaths;
        RelatedPaths = relatedPaths;
        Rule = rule;
        Pack = pack;
        Where = where;
        Condition = condition;
        UsesRelated = usesRelated;
        RelatedTypes = relatedTypes;
    }

    public Rule Rule { get; }

    /// <summary>The reason of a pass without pass evidence: the secure state the rule's title states.</summary>
    internal string PassReason => _passReason ??= $"Compliant: {Rule.Title.TrimEnd('.')}.";

    private string? _passReason;

    /// <summary>The rule id in upper case, as finding ids use it.</summary>
    internal byte[] IdKey => _idKey ??= System.Text.Encoding.UTF8.GetBytes(Rule.Id.ToUpperInvariant());

    private byte[]? _idKey;

    public RulePack Pack { get; }

    /// <summary>Whether the rule counts other resources, so it is evaluated once the whole snapshot is read.</summary>
    public bool UsesRelated { get; }

    public IReadOnlySet<string> RelatedTypes { get; }

    internal IReadOnlyList<(string Type, RelatedScope Scope)> RelatedUses { get; }

    /// <summary>Paths the rule reads from the resource it evaluates.</summary>
    internal IReadOnlyList<FieldPath> TargetPaths { get; }

    /// <summary>Paths the rule's related conditions read from candidates, by related type.</summary>
    internal IReadOnlyDictionary<string, List<FieldPath>> RelatedPaths { get; }

    internal ConditionNode? Where { get; }

    internal ConditionNode Condition { get; }
}
