using Compliance.Core.Conditions;

namespace Compliance.Core.Evaluation;

/// <summary>An equality join found in related.where: candidates whose <see cref="Path"/> equals the target's value.</summary>
internal sealed record RelatedJoin(FieldPath Path, ResourceOperand Target)
{
    /// <summary>
    /// An equality between a candidate's field and a value of the evaluated resource
    /// (<c>{ "field": "id", "equals": "[resource('properties.principalId')]" }</c>), at the top of
    /// related.where or directly inside its allOf, lets the index find candidates by key instead of
    /// visiting all. Null when the where has none.
    /// </summary>
    public static RelatedJoin? In(ConditionNode? where) => where switch
    {
        null => null,
        AllOfNode all => all.Children.Select(FromLeaf).FirstOrDefault(j => j is not null),
        _ => FromLeaf(where),
    };

    private static RelatedJoin? FromLeaf(ConditionNode node) =>
        node is FieldLeaf { Field.Slot: < 0, Field.HasWildcard: false } leaf &&
        leaf.Comparison.Operator.Name == "equals" &&
        leaf.Comparison.Expected is ResourceOperand target
            ? new RelatedJoin(leaf.Field.Written, target)
            : null;
}
