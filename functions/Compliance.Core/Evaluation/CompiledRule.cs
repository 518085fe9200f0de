using Compliance.Core.Conditions;
using Compliance.Core.Rules;

namespace Compliance.Core.Evaluation;

/// <summary>A rule ready to evaluate: its conditions compiled with the scan's parameter values.</summary>
public sealed class CompiledRule
{
    internal CompiledRule(Rule rule, RulePack pack, ConditionNode? where, ConditionNode condition, RuleReads reads)
    {
        Rule = rule;
        Pack = pack;
        Where = where;
        Condition = condition;
        Reads = reads;
        RelatedTypes = reads.RelatedUses.Select(u => u.Type).ToHashSet(StringComparer.OrdinalIgnoreCase);
        RelatedUses = [.. reads.RelatedUses.Select(u => new RelatedUse(u.Type, u.Scope == RelatedScope.Children)).Distinct()];
    }

    /// <summary>The rule, its title, description and remediation showing the parameter values in force.</summary>
    public Rule Rule { get; }

    /// <summary>The reason of a pass without pass evidence: the secure state the rule's title states.</summary>
    internal string PassReason => _passReason ??= $"Compliant: {Rule.Title.TrimEnd('.')}.";

    private string? _passReason;

    /// <summary>The rule id in upper case, as finding ids use it.</summary>
    internal byte[] IdKey => _idKey ??= System.Text.Encoding.UTF8.GetBytes(Rule.Id.ToUpperInvariant());

    private byte[]? _idKey;

    public RulePack Pack { get; }

    /// <summary>Whether the rule counts other resources, so it is evaluated once the whole snapshot is read.</summary>
    public bool UsesRelated => Reads.UsesRelated;

    public IReadOnlySet<string> RelatedTypes { get; }

    /// <summary>The related types the rule counts, each with whether it counts them under the evaluated resource.</summary>
    public IReadOnlyList<RelatedUse> RelatedUses { get; }

    /// <summary>
    /// What the rule reads: the field paths on its own resource types (<see cref="RuleReads.OwnPaths"/>)
    /// and on each related type (<see cref="RuleReads.RelatedPaths"/>), and the related counts it makes.
    /// </summary>
    internal RuleReads Reads { get; }

    internal ConditionNode? Where { get; }

    internal ConditionNode Condition { get; }
}
