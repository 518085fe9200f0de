namespace Compliance.Core.Conditions;

/// <summary>
/// Walks a compiled condition: every node and every operand, children before nothing else. The
/// default of each method visits the children, so an analysis overrides only what it looks at (the
/// paths a rule reads, a join in related.where).
/// </summary>
internal abstract class ConditionVisitor
{
    public void Visit(ConditionNode? node) => node?.Accept(this);

    public virtual void VisitAllOf(AllOfNode node)
    {
        foreach (var child in node.Children)
        {
            child.Accept(this);
        }
    }

    public virtual void VisitAnyOf(AnyOfNode node)
    {
        foreach (var child in node.Children)
        {
            child.Accept(this);
        }
    }

    public virtual void VisitNot(NotNode node) => node.Child.Accept(this);

    public virtual void VisitField(FieldLeaf leaf) => VisitComparison(leaf.Comparison);

    public virtual void VisitValue(ValueLeaf leaf)
    {
        VisitOperand(leaf.Left);
        VisitComparison(leaf.Comparison);
    }

    public virtual void VisitCount(CountLeaf leaf)
    {
        if (leaf.Values is not null)
        {
            VisitOperand(leaf.Values);
        }

        Visit(leaf.Where);
        VisitComparison(leaf.Comparison);
    }

    public virtual void VisitRelated(RelatedLeaf leaf)
    {
        Visit(leaf.Where);
        VisitComparison(leaf.Comparison);
    }

    public virtual void VisitComparison(Comparison comparison) => VisitOperand(comparison.Expected);

    public virtual void VisitOperand(Operand operand)
    {
        switch (operand)
        {
            case AddDaysOperand addDays:
                VisitOperand(addDays.Date);
                VisitOperand(addDays.Days);
                break;
            case FunctionOperand function:
                foreach (var argument in function.Arguments)
                {
                    VisitOperand(argument);
                }

                break;
            case AccessOperand access:
                VisitOperand(access.Target);
                VisitOperand(access.Key);
                break;
        }
    }
}
