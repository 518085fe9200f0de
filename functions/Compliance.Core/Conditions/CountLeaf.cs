using System.Text.Json;
using Compliance.Core.Findings;

namespace Compliance.Core.Conditions;

/// <summary>
/// Shared counting: how many items satisfy <c>where</c>, with items whose <c>where</c> is undecidable
/// kept apart, so the comparison is decided only when every possible count gives the same answer.
/// </summary>
internal abstract class CountingLeaf(Comparison comparison) : ConditionNode
{
    private const int MaxMatchesShown = 5;

    public Comparison Comparison { get; } = comparison;

    protected Truth Decide(EvaluationContext context, long certain, long uncertain)
    {
        if (uncertain == 0)
        {
            return Comparison.Apply(context, CountNumbers.Of(certain));
        }

        // The real count lies in [certain, certain + uncertain]; it is decided only if all agree.
        var error = context.LastError;
        var first = Comparison.Apply(context, CountNumbers.Of(certain));
        if (uncertain <= 64)
        {
            for (var n = certain + 1; n <= certain + uncertain; n++)
            {
                if (Comparison.Apply(context, CountNumbers.Of(n)) != first)
                {
                    context.LastError = error;
                    return Truth.Error;
                }
            }

            return first;
        }

        context.LastError = error;
        return Truth.Error;
    }

    /// <summary>
    /// Decides a comparison of a count known only from below: the real count is
    /// <paramref name="certain"/> or more (resources that could not be read can only add to it). The
    /// comparisons a count takes (equals, less, in, …) change their answer only next to the numbers
    /// they compare with, so checking <paramref name="certain"/>, each of those numbers ±1 above it,
    /// and one count beyond them all covers every possible count. Undecided: an error.
    /// </summary>
    protected Truth DecideAtLeast(EvaluationContext context, long certain)
    {
        var first = Comparison.Apply(context, CountNumbers.Of(certain));
        if (first == Truth.Error || !Comparison.TryGetExpected(context, out var expected, out _))
        {
            return Truth.Error;
        }

        var highest = certain;
        foreach (var k in Numbers(expected.Value))
        {
            foreach (var n in (long[])[k - 1, k, k + 1])
            {
                if (n > certain && Comparison.Apply(context, CountNumbers.Of(n)) != first)
                {
                    return Truth.Error;
                }
            }

            highest = Math.Max(highest, k + 1);
        }

        return Comparison.Apply(context, CountNumbers.Of(highest + 1)) == first ? first : Truth.Error;
    }

    private static IEnumerable<long> Numbers(JsonElement expected)
    {
        if (expected.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in expected.EnumerateArray())
            {
                if (ValueComparer.TryAsNumber(item, out var d))
                {
                    yield return (long)Math.Clamp(Math.Floor(d), long.MinValue / 4, long.MaxValue / 4);
                }
            }
        }
        else if (ValueComparer.TryAsNumber(expected, out var d))
        {
            yield return (long)Math.Clamp(Math.Floor(d), long.MinValue / 4, long.MaxValue / 4);
        }
    }

    protected EvidenceItem Evidence(EvaluationContext context, string path, string subject, long certain, long uncertain, string? error, List<string> matching, int totalMatching, long total, List<string> notMatching, Truth blame, bool negated)
    {
        var phrase = Comparison.Phrase(context, negated);
        if (blame == Truth.Error)
        {
            return Reasons.CountUncertain(path, subject, certain, uncertain, phrase, error ?? context.LastError);
        }

        if (totalMatching > matching.Count)
        {
            matching.Add($"and {totalMatching - matching.Count} more");
        }

        var notMatchingCount = total - certain - uncertain;
        if (notMatchingCount > notMatching.Count && notMatching.Count > 0)
        {
            notMatching.Add($"and {notMatchingCount - notMatching.Count} more");
        }

        return Reasons.Count(path, subject, certain, total, phrase, (blame == Truth.True) ^ negated, matching, notMatching);
    }

    protected static void AddMatch(List<string> matching, int total, string description)
    {
        if (total <= MaxMatchesShown)
        {
            matching.Add(description);
        }
    }
}

/// <summary>
/// <c>{ "count": { "field": "path[*]", "where": {…} }, "op": n }</c> or a value count
/// <c>{ "count": { "value": [...], "name": "x", "where": {…} }, "op": n }</c>.
/// </summary>
internal sealed class CountLeaf : CountingLeaf
{
    private readonly FieldRef? _field;
    private readonly Operand? _values;
    private readonly int _slot;
    private readonly ConditionNode? _where;
    private readonly string _written;

    public CountLeaf(FieldRef? field, Operand? values, int slot, ConditionNode? where, Comparison comparison)
        : base(comparison)
    {
        _field = field;
        _values = values;
        _slot = slot;
        _where = where;
        _written = field?.Written.Text ?? values!.Text;
    }

    /// <summary>The counted array path (a field count), or null for a value count.</summary>
    public FieldRef? Field => _field;

    /// <summary>The counted values (a value count), or null for a field count.</summary>
    public Operand? Values => _values;

    public ConditionNode? Where => _where;

    public override void Accept(ConditionVisitor visitor) => visitor.VisitCount(this);

    public override Truth Evaluate(EvaluationContext context)
    {
        var items = context.RentList();
        try
        {
            if (!Collect(context, items, withPaths: false, out var error))
            {
                context.LastError = error;
                return Truth.Error;
            }

            var (certain, uncertain, _) = CountMatches(context, items, null, null);
            return Decide(context, certain, uncertain);
        }
        finally
        {
            context.Return(items);
        }
    }

    public override void Explain(EvaluationContext context, Truth blame, bool negated, List<EvidenceItem> evidence)
    {
        var items = context.RentList();
        try
        {
            var subject = _where is null ? Reasons.CountAllSubject(_written) : Reasons.CountSubject(_written);
            if (!Collect(context, items, withPaths: true, out var error))
            {
                evidence.Add(Reasons.CannotEvaluate(_written, default, Comparison.Phrase(context, negated), error!));
                return;
            }

            var matching = new List<string>();
            var notMatching = new List<string>();
            var matched = context.Facts is { Open: true } ? new List<ResolvedValue>() : null;
            var (certain, uncertain, firstError) = CountMatches(context, items, matching, notMatching, matched);
            var item = Evidence(context, _written, subject, certain, uncertain, firstError, matching, (int)certain, items.Count, notMatching, blame, negated);
            evidence.Add(item);
            if (matched is not null && !item.Satisfied && context.Facts is { Open: true } facts)
            {
                facts.RecordCount(certain, items.Count);
                foreach (var value in matched)
                {
                    facts.AddMatch(value.Value, null);
                }
            }
        }
        finally
        {
            context.Return(items);
        }
    }

    private bool Collect(EvaluationContext context, List<ResolvedValue> items, bool withPaths, out string? error)
    {
        error = null;
        if (_field is not null)
        {
            // A missing array counts 0 elements; one that is not an array cannot be counted.
            string? notIterable = null;
            _field.ResolveMany(context, withPaths, items, ref error, ref notIterable);
            return error is null;
        }

        var array = _values!.Get(context);
        if (PathResolver.IsMissing(array))
        {
            return true;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            error = $"a value count needs an array, but {_values.Text} is {Describe.Kind(array)}";
            return false;
        }

        foreach (var element in array.EnumerateArray())
        {
            items.Add(new ResolvedValue(element, null));
        }

        return true;
    }

    private (long Certain, long Uncertain, string? FirstError) CountMatches(EvaluationContext context, List<ResolvedValue> items, List<string>? matching, List<string>? notMatching, List<ResolvedValue>? matched = null)
    {
        long certain = 0, uncertain = 0;
        string? firstError = null;
        var saved = _slot < context.Bindings.Count ? context.Bindings[_slot] : default;
        foreach (var item in items)
        {
            if (_where is null)
            {
                certain++;
                if (matching is not null)
                {
                    AddMatch(matching, (int)certain, Name(item));
                }

                matched?.Add(item);
                continue;
            }

            context.Bind(_slot, item);
            switch (_where.Evaluate(context))
            {
                case Truth.True:
                    certain++;
                    if (matching is not null)
                    {
                        AddMatch(matching, (int)certain, Name(item));
                    }

                    if (matched is { Count: < Rules.MessageTemplate.MatchesShown })
                    {
                        matched.Add(item);
                    }

                    break;
                case Truth.Error:
                    uncertain++;
                    firstError ??= context.LastError;
                    break;
                default:
                    if (notMatching is not null)
                    {
                        AddMatch(notMatching, notMatching.Count + 1, Name(item));
                    }

                    break;
            }
        }

        context.Bind(_slot, saved);
        return (certain, uncertain, firstError);
    }

    private static string Name(ResolvedValue item)
    {
        if (item.Path is null)
        {
            return Describe.Value(item.Value);
        }

        // ARM elements have a name (NSG rules); Graph elements a displayName (credentials).
        return (PathResolver.TryGetProperty(item.Value, "name", out var name) || PathResolver.TryGetProperty(item.Value, "displayName", out name)) &&
               name.ValueKind == JsonValueKind.String
            ? $"{item.Path} ({Describe.Quote(name.GetString()!)})"
            : item.Path;
    }
}
