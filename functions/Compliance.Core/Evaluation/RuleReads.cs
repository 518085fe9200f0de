using Compliance.Core.Conditions;

namespace Compliance.Core.Evaluation;

/// <summary>
/// What a compiled rule reads, found by walking its where and condition: the field paths it reads on
/// the resource it evaluates (its own resource types), the paths its related conditions read on each
/// related type, the (type, scope) pairs it counts, and whether it depends on the clock. The scan keeps
/// exactly these parts of resources that wait in memory; the defaults table checks that it says what
/// absent means for each of them.
/// </summary>
internal sealed class RuleReads
{
    private RuleReads(
        IReadOnlyList<FieldPath> own,
        IReadOnlyDictionary<string, IReadOnlyList<FieldPath>> related,
        IReadOnlyList<(string Type, RelatedScope Scope)> relatedUses,
        bool usesTime)
    {
        Own = own;
        Related = related;
        RelatedUses = relatedUses;
        UsesTime = usesTime;
        OwnPaths = Distinct(own);
        RelatedPaths = related.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)Distinct(kv.Value), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Paths read from the evaluated resource, as parsed (in the order they appear, repeats kept).</summary>
    public IReadOnlyList<FieldPath> Own { get; }

    /// <summary>Per related type (as the rule names it), the paths its related.where conditions read from candidates.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FieldPath>> Related { get; }

    /// <summary>The paths read from the evaluated resource, each once (case-insensitively), as written: "properties.securityRules[*].properties.access".</summary>
    public IReadOnlyList<string> OwnPaths { get; }

    /// <summary>Per related type, the paths read from its resources, each once, as written.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RelatedPaths { get; }

    /// <summary>The (type, scope) pairs the related conditions count.</summary>
    public IReadOnlyList<(string Type, RelatedScope Scope)> RelatedUses { get; }

    public bool UsesRelated => RelatedUses.Count > 0;

    /// <summary>Whether the rule uses olderThan / newerThan (its result depends on the evaluation time).</summary>
    public bool UsesTime { get; }

    public static RuleReads Of(ConditionNode? where, ConditionNode? condition)
    {
        var walker = new Walker();
        walker.Visit(where);
        walker.Visit(condition);
        return new RuleReads(
            walker.Own,
            walker.Related.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<FieldPath>)kv.Value, StringComparer.OrdinalIgnoreCase),
            walker.Uses,
            walker.UsesTime);
    }

    private static List<string> Distinct(IEnumerable<FieldPath> paths) =>
        paths.Select(p => p.Text).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The path analysis: which resource each path is read from (the evaluated one, or a related candidate).</summary>
    private sealed class Walker : ConditionVisitor
    {
        private readonly Stack<string> _relatedTypes = new();

        public List<FieldPath> Own { get; } = [];

        public Dictionary<string, List<FieldPath>> Related { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<(string Type, RelatedScope Scope)> Uses { get; } = [];

        public bool UsesTime { get; private set; }

        public override void VisitField(FieldLeaf leaf)
        {
            Read(leaf.Field.Written);
            base.VisitField(leaf);
        }

        public override void VisitCount(CountLeaf leaf)
        {
            if (leaf.Field is not null)
            {
                Read(leaf.Field.Written);
            }

            base.VisitCount(leaf);
        }

        public override void VisitRelated(RelatedLeaf leaf)
        {
            Uses.Add((leaf.Type, leaf.Scope));
            if (!Related.ContainsKey(leaf.Type))
            {
                Related[leaf.Type] = [];
            }

            _relatedTypes.Push(leaf.Type);
            Visit(leaf.Where);
            _relatedTypes.Pop();

            // The count is compared on the evaluated resource.
            VisitComparison(leaf.Comparison);
        }

        public override void VisitComparison(Comparison comparison)
        {
            UsesTime |= comparison.Operator.Name is "olderThan" or "newerThan";
            base.VisitComparison(comparison);
        }

        public override void VisitOperand(Operand operand)
        {
            switch (operand)
            {
                case FieldOperand field:
                    Read(field.Field.Written);
                    break;
                case FieldValuesOperand values:
                    Read(values.Field.Written);
                    break;
                case FunctionOperand { Function.Name: "utcNow" }:
                    UsesTime = true;
                    break;
                case ResourceOperand resource:
                    // [resource('…')] reads the evaluated resource, also inside related.where.
                    Own.Add(resource.Path);
                    break;
            }

            base.VisitOperand(operand);
        }

        private void Read(FieldPath path)
        {
            if (_relatedTypes.TryPeek(out var type))
            {
                Related[type].Add(path);
            }
            else
            {
                Own.Add(path);
            }
        }
    }
}
