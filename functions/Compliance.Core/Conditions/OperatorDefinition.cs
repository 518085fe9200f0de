using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>The right-hand side of a leaf, with whatever the operator prepared from it once (a regex, a duration, ports).</summary>
internal readonly record struct ExpectedValue(JsonElement Value, object? Prepared);

/// <summary>Evaluates one operator: every operator has this one signature.</summary>
internal delegate Truth OperatorEvaluator(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error);

/// <summary>Checks and pre-processes a right-hand side; returns an error sentence when it is the wrong kind of value.</summary>
internal delegate string? OperatorPreparer(JsonElement expected, out object? prepared);

/// <summary>Words for what the operator expects ("'TLS1_2'", "one of ['a', 'b']"), plain or negated.</summary>
internal delegate string OperatorPhrase(in ExpectedValue expected, DateTimeOffset now, bool negated);

/// <summary>One row of the operator table.</summary>
/// <param name="Name">The name as written in a rule.</param>
/// <param name="ExpectedDescription">What the right-hand side must be, for validation messages.</param>
/// <param name="Prepare">Validation and pre-processing of the right-hand side.</param>
/// <param name="Evaluate">The comparison. For a negated operator: the positive one, whose result is flipped.</param>
/// <param name="Phrase">Evidence wording of the positive operator.</param>
/// <param name="Negated">True for notEquals, notLike …: the result of the positive operator, flipped.</param>
/// <param name="CountComparison">Whether the operator can compare a count (a number).</param>
internal sealed record OperatorDefinition(
    string Name,
    string ExpectedDescription,
    OperatorPreparer Prepare,
    OperatorEvaluator Evaluate,
    OperatorPhrase Phrase,
    bool Negated = false,
    bool CountComparison = false)
{
    public Truth Apply(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error)
    {
        var result = Evaluate(observed, expected, now, out error);
        return Negated ? TruthLogic.Not(result) : result;
    }

    public string Describe(in ExpectedValue expected, DateTimeOffset now, bool negated) =>
        Phrase(expected, now, negated ^ Negated);
}
