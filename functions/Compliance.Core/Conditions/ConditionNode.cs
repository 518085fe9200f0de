using Compliance.Core.Findings;

namespace Compliance.Core.Conditions;

/// <summary>
/// A compiled condition. <see cref="Evaluate"/> is the fast path used for every resource;
/// <see cref="Explain"/> walks the same tree again to collect the leaves that decided the result.
/// </summary>
internal abstract class ConditionNode
{
    public abstract Truth Evaluate(EvaluationContext context);

    /// <summary>
    /// Adds evidence for the leaves whose result is <paramref name="blame"/>. <paramref name="negated"/> is
    /// true under an odd number of <c>not</c>s, so a leaf reports what the rule really wanted of it.
    /// </summary>
    public abstract void Explain(EvaluationContext context, Truth blame, bool negated, List<EvidenceItem> evidence);

    public abstract void Accept(ConditionVisitor visitor);
}

internal sealed class AllOfNode(ConditionNode[] children) : ConditionNode
{
    public ConditionNode[] Children { get; } = children;

    public override void Accept(ConditionVisitor visitor) => visitor.VisitAllOf(this);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override Truth Evaluate(EvaluationContext context)
    {
        var result = Truth.True;
        foreach (var child in Children)
        {
            var t = child.Evaluate(context);
            if (t == Truth.False)
            {
                return Truth.False;
            }

            if (t == Truth.Error)
            {
                result = Truth.Error;
            }
        }

        return result;
    }

    public override void Explain(EvaluationContext context, Truth blame, bool negated, List<EvidenceItem> evidence)
    {
        foreach (var child in Children)
        {
            if (child.Evaluate(context) == blame)
            {
                child.Explain(context, blame, negated, evidence);
            }
        }
    }
}

internal sealed class AnyOfNode(ConditionNode[] children) : ConditionNode
{
    public IReadOnlyList<ConditionNode> Children => children;

    public override void Accept(ConditionVisitor visitor) => visitor.VisitAnyOf(this);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override Truth Evaluate(EvaluationContext context)
    {
        var result = Truth.False;
        foreach (var child in children)
        {
            var t = child.Evaluate(context);
            if (t == Truth.True)
            {
                return Truth.True;
            }

            if (t == Truth.Error)
            {
                result = Truth.Error;
            }
        }

        return result;
    }

    public override void Explain(EvaluationContext context, Truth blame, bool negated, List<EvidenceItem> evidence)
    {
        foreach (var child in children)
        {
            if (child.Evaluate(context) == blame)
            {
                child.Explain(context, blame, negated, evidence);
            }
        }
    }
}

internal sealed class NotNode(ConditionNode child) : ConditionNode
{
    public ConditionNode Child => child;

    public override void Accept(ConditionVisitor visitor) => visitor.VisitNot(this);

    public override Truth Evaluate(EvaluationContext context) => TruthLogic.Not(child.Evaluate(context));

    public override void Explain(EvaluationContext context, Truth blame, bool negated, List<EvidenceItem> evidence) =>
        child.Explain(context, TruthLogic.Not(blame), !negated, evidence);
}
