using System.Text.Json;
using Compliance.Core.Findings;

namespace Compliance.Core.Conditions;

/// <summary>The right-hand side of a leaf with the operator applied to it.</summary>
internal sealed class Comparison
{
    private readonly ExpectedValue _constant;

    public Comparison(OperatorDefinition op, Operand expected)
    {
        Operator = op;
        Expected = expected;
        if (expected is ConstantOperand constant)
        {
            // Checked by the compiler already: a constant is prepared (regex, duration, ports) once.
            op.Prepare(constant.Value, out var prepared);
            _constant = new ExpectedValue(constant.Value, prepared);
        }
    }

    private const int MaxPrepared = 256;

    // Prepared forms (regexes, durations) of dynamic right-hand sides, by value; shared by scans.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object?> _prepared = new(StringComparer.Ordinal);

    public OperatorDefinition Operator { get; }

    public Operand Expected { get; }

    public bool TryGetExpected(EvaluationContext context, out ExpectedValue expected, out string? error)
    {
        error = null;
        if (Expected.IsConstant)
        {
            expected = _constant;
            return true;
        }

        context.OperandError = null;
        var value = Expected.Get(context);
        if (context.OperandError is { } operandError)
        {
            error = operandError;
            expected = default;
            return false;
        }

        object? prepared;
        if (value.ValueKind == JsonValueKind.String && _prepared.TryGetValue(value.GetString()!, out var cached))
        {
            // The same few values come back (a parameter list visited by a value count): prepare once.
            prepared = cached;
        }
        else
        {
            error = Operator.Prepare(value, out prepared);
            if (error is null && value.ValueKind == JsonValueKind.String && _prepared.Count < MaxPrepared)
            {
                _prepared.TryAdd(value.GetString()!, prepared);
            }
        }

        expected = new ExpectedValue(value, prepared);
        if (error is not null)
        {
            error = $"{Expected.Text} is {Describe.Value(value)}, but '{Operator.Name}' {error}";
            return false;
        }

        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public Truth Apply(EvaluationContext context, JsonElement observed)
    {
        if (!TryGetExpected(context, out var expected, out var error))
        {
            context.LastError = error;
            return Truth.Error;
        }

        var result = Operator.Apply(observed, expected, context.Now, out error);
        if (result == Truth.Error)
        {
            context.LastError = error;
        }

        return result;
    }

    public string Phrase(EvaluationContext context, bool negated)
    {
        // A constant's phrase never changes (time operators name a cutoff, which depends on the clock).
        var cacheable = Expected.IsConstant && Operator.Name is not ("olderThan" or "newerThan");
        ref var cached = ref negated ? ref _negatedPhrase : ref _phrase;
        if (cacheable && cached is not null)
        {
            return cached;
        }

        var phrase = TryGetExpected(context, out var expected, out _)
            ? Operator.Describe(expected, context.Now, negated)
            : $"'{Operator.Name}' {Expected.Text}";
        if (cacheable)
        {
            cached = phrase;
        }

        return phrase;
    }

    private string? _phrase;
    private string? _negatedPhrase;

    public EvidenceItem Evidence(EvaluationContext context, string path, JsonElement observed, Truth result, bool negated)
    {
        var phrase = Phrase(context, negated);
        if (result == Truth.Error)
        {
            Apply(context, observed);
            return Reasons.CannotEvaluate(path, observed, phrase, context.LastError ?? "unknown error");
        }

        // A leaf that held is satisfied unless the rule wanted it not to hold.
        return Reasons.Leaf(path, observed, phrase, satisfied: (result == Truth.True) ^ negated);
    }
}

/// <summary>
/// <c>{ "field": "path", "op": value }</c>; with <c>[*]</c> in the path it must hold for every element
/// ("each element in the array is evaluated individually with logical and between elements",
/// https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule#fields),
/// so an empty array satisfies it. A <c>[*]</c> over a missing, null or non-array value has nothing to
/// iterate and the condition is false ("not iterable, condition not met": microsoft/regorus,
/// tests/azure_policy/cases/implicit_allof.yaml, allof_missing_array_is_false and
/// allof_doubly_nested_inner_missing), however deep the <c>[*]</c>.
/// </summary>
internal sealed class FieldLeaf(FieldRef field, Comparison comparison) : ConditionNode
{
    public FieldRef Field { get; } = field;

    public Comparison Comparison { get; } = comparison;

    public override void Accept(ConditionVisitor visitor) => visitor.VisitField(this);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override Truth Evaluate(EvaluationContext context)
    {
        if (!Field.HasWildcard)
        {
            return Comparison.Apply(context, Field.ResolveSingle(context));
        }

        var values = context.RentList();
        try
        {
            string? notArray = null;
            string? notIterable = null;
            Field.ResolveMany(context, withPaths: false, values, ref notArray, ref notIterable);
            if (notArray is not null || notIterable is not null)
            {
                return Truth.False;
            }

            var result = Truth.True;
            foreach (var value in values)
            {
                var t = Comparison.Apply(context, value.Value);
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
        finally
        {
            context.Return(values);
        }
    }

    public override void Explain(EvaluationContext context, Truth blame, bool negated, List<EvidenceItem> evidence)
    {
        if (!Field.HasWildcard)
        {
            var observed = Field.ResolveSingle(context);
            evidence.Add(Comparison.Evidence(context, Field.ConcretePath(context), observed, blame, negated));
            return;
        }

        var values = context.RentList();
        try
        {
            string? notArray = null;
            string? notIterable = null;
            Field.ResolveMany(context, withPaths: true, values, ref notArray, ref notIterable);
            var path = Field.ConcretePath(context);
            if ((notArray ?? notIterable) is { } why)
            {
                evidence.Add(Reasons.NotIterable(path, why, Comparison.Phrase(context, negated), satisfied: (blame == Truth.True) ^ negated));
                return;
            }

            if (values.Count == 0)
            {
                evidence.Add(Reasons.NoElements(path, Comparison.Phrase(context, negated), satisfied: (blame == Truth.True) ^ negated));
                return;
            }

            foreach (var value in values)
            {
                var t = Comparison.Apply(context, value.Value);
                if (t == blame)
                {
                    evidence.Add(Comparison.Evidence(context, value.Path!, value.Value, t, negated));
                }
            }
        }
        finally
        {
            context.Return(values);
        }
    }
}

/// <summary><c>{ "value": "[parameters('x')]", "op": value }</c>.</summary>
internal sealed class ValueLeaf(Operand left, Comparison comparison) : ConditionNode
{
    public Operand Left => left;

    public Comparison Comparison => comparison;

    public override void Accept(ConditionVisitor visitor) => visitor.VisitValue(this);

    public override Truth Evaluate(EvaluationContext context)
    {
        context.OperandError = null;
        var value = left.Get(context);
        if (context.OperandError is { } error)
        {
            context.LastError = error;
            return Truth.Error;
        }

        return comparison.Apply(context, value);
    }

    public override void Explain(EvaluationContext context, Truth blame, bool negated, List<EvidenceItem> evidence)
    {
        context.OperandError = null;
        var value = left.Get(context);
        if (context.OperandError is { } error)
        {
            evidence.Add(Reasons.CannotEvaluate(left.Text, default, comparison.Phrase(context, negated), error));
            return;
        }

        evidence.Add(comparison.Evidence(context, left.Text, value, blame, negated));
    }
}
