using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Compliance.Core.Conditions;

/// <summary>
/// The operator table: Azure Policy's 19 operators plus our olderThan, newerThan, coversPort and the
/// four version comparisons. Adding an operator is one evaluation function and one row below.
/// </summary>
internal static class Operators
{
    private static readonly OperatorDefinition[] Rows =
    [
        new("equals", "a value", AnyValue, EqualsOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"a value other than {V(e)}" : V(e), CountComparison: true),
        new("notEquals", "a value", AnyValue, EqualsOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"a value other than {V(e)}" : V(e), Negated: true, CountComparison: true),
        new("like", "a string pattern with * and ?", LikeValue, LikeOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}like {V(e)}"),
        new("notLike", "a string pattern with * and ?", LikeValue, LikeOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}like {V(e)}", Negated: true),
        new("match", "a string pattern (# digit, ? letter, . any character)", MatchPattern(false), RegexOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}matching the pattern {V(e)}"),
        new("notMatch", "a string pattern (# digit, ? letter, . any character)", MatchPattern(false), RegexOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}matching the pattern {V(e)}", Negated: true),
        new("matchInsensitively", "a string pattern (# digit, ? letter, . any character)", MatchPattern(true), RegexOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}matching the pattern {V(e)} (any case)"),
        new("notMatchInsensitively", "a string pattern (# digit, ? letter, . any character)", MatchPattern(true), RegexOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}matching the pattern {V(e)} (any case)", Negated: true),
        new("contains", "a string, number or boolean", ScalarValue, ContainsOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}to contain {V(e)}"),
        new("notContains", "a string, number or boolean", ScalarValue, ContainsOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}to contain {V(e)}", Negated: true),
        new("in", "an array of values", ArrayValue, InOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{(n ? "none" : "one")} of {Describe.List(e.Value)}", CountComparison: true),
        new("notIn", "an array of values", ArrayValue, InOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{(n ? "none" : "one")} of {Describe.List(e.Value)}", Negated: true, CountComparison: true),
        new("containsKey", "a key name (string)", StringValue, ContainsKeyOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}to have the key {V(e)}"),
        new("notContainsKey", "a key name (string)", StringValue, ContainsKeyOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}to have the key {V(e)}", Negated: true),
        new("less", "a number, date or string", OrderedValue, LessOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"at least {V(e)}" : $"less than {V(e)}", CountComparison: true),
        new("lessOrEquals", "a number, date or string", OrderedValue, LessOrEqualsOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"more than {V(e)}" : $"at most {V(e)}", CountComparison: true),
        new("greater", "a number, date or string", OrderedValue, GreaterOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"at most {V(e)}" : $"more than {V(e)}", CountComparison: true),
        new("greaterOrEquals", "a number, date or string", OrderedValue, GreaterOrEqualsOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"less than {V(e)}" : $"at least {V(e)}", CountComparison: true),
        new("exists", "true or false", BooleanValue, ExistsOp, (in ExpectedValue e, DateTimeOffset _, bool n) => ((bool)e.Prepared! ^ n) ? "to be present" : "to be absent"),
        new("olderThan", "an ISO-8601 duration such as P14D, P1Y or PT12H", DurationValue, OlderThanOp, (in ExpectedValue e, DateTimeOffset now, bool n) => Age(e, now, n, older: true)),
        new("newerThan", "an ISO-8601 duration such as P14D, P1Y or PT12H", DurationValue, NewerThanOp, (in ExpectedValue e, DateTimeOffset now, bool n) => Age(e, now, n, older: false)),
        new("versionLess", "a version such as 1.29 or 8.0.21", VersionValue, VersionLessOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"a version of at least {V(e)}" : $"a version lower than {V(e)}"),
        new("versionLessOrEquals", "a version such as 1.29 or 8.0.21", VersionValue, VersionLessOrEqualsOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"a version higher than {V(e)}" : $"a version of at most {V(e)}"),
        new("versionGreater", "a version such as 1.29 or 8.0.21", VersionValue, VersionGreaterOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"a version of at most {V(e)}" : $"a version higher than {V(e)}"),
        new("versionGreaterOrEquals", "a version such as 1.29 or 8.0.21", VersionValue, VersionGreaterOrEqualsOp, (in ExpectedValue e, DateTimeOffset _, bool n) => n ? $"a version lower than {V(e)}" : $"a version of at least {V(e)}"),
        new("coversPort", "a port number (0-65535) or an array of them", PortsValue, CoversPortOp, (in ExpectedValue e, DateTimeOffset _, bool n) => $"{Not(n)}to include {Ports(e)}"),
    ];

    private static readonly FrozenDictionary<string, OperatorDefinition> ByName =
        Rows.ToFrozenDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<OperatorDefinition> All => Rows;

    public static IEnumerable<string> Names => Rows.Select(r => r.Name);

    public static bool TryGet(string name, out OperatorDefinition definition) =>
        ByName.TryGetValue(name, out definition!);

    // ---- right-hand side checks -------------------------------------------------------------

    private static string? AnyValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        return null;
    }

    private static string? ScalarValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        return e.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? null
            : $"expects a string, number or boolean, not {Describe.Kind(e)}";
    }

    private static string? StringValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        return e.ValueKind == JsonValueKind.String ? null : $"expects a string, not {Describe.Kind(e)}";
    }

    private static string? ArrayValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        return e.ValueKind == JsonValueKind.Array ? null : $"expects an array of values, not {Describe.Kind(e)}";
    }

    private static string? OrderedValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        return e.ValueKind is JsonValueKind.Number or JsonValueKind.String ? null : $"expects a number, date or string, not {Describe.Kind(e)}";
    }

    private static string? BooleanValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        if (ValueComparer.TryAsBool(e, out var b))
        {
            prepared = b;
            return null;
        }

        return $"expects true or false, not {Describe.Value(e)}";
    }

    private static string? LikeValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        if (e.ValueKind != JsonValueKind.String)
        {
            return $"expects a string pattern, not {Describe.Kind(e)}";
        }

        prepared = new LikePattern(e.GetString()!);
        return null;
    }

    private static OperatorPreparer MatchPattern(bool ignoreCase) => (JsonElement e, out object? prepared) =>
    {
        prepared = null;
        if (e.ValueKind != JsonValueKind.String)
        {
            return $"expects a string pattern, not {Describe.Kind(e)}";
        }

        prepared = PatternMatcher.Match(e.GetString()!, ignoreCase);
        return null;
    };

    private static string? DurationValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        if (e.ValueKind == JsonValueKind.String && IsoDuration.TryParse(e.GetString(), out var duration))
        {
            prepared = duration;
            return null;
        }

        return $"expects an ISO-8601 duration such as P14D, P1Y or PT12H, not {Describe.Value(e)}";
    }

    private static string? VersionValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        if (VersionNumber.TryRead(e, out var version))
        {
            prepared = version;
            return null;
        }

        return $"expects a version (dot-separated numbers such as 1.29 or 8.0.21), not {Describe.Value(e)}";
    }

    private static string? PortsValue(JsonElement e, out object? prepared)
    {
        prepared = null;
        var ports = new List<int>();
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                if (!TryPort(item, out var p))
                {
                    return $"expects port numbers (0-65535), but the list holds {Describe.Value(item)}";
                }

                ports.Add(p);
            }

            if (ports.Count == 0)
            {
                return "expects at least one port number";
            }
        }
        else if (TryPort(e, out var single))
        {
            ports.Add(single);
        }
        else
        {
            return $"expects a port number (0-65535) or an array of them, not {Describe.Value(e)}";
        }

        prepared = ports.ToArray();
        return null;

        static bool TryPort(JsonElement item, out int port)
        {
            port = -1;
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out port))
            {
                return port is >= 0 and <= 65535;
            }

            return item.ValueKind == JsonValueKind.String && PortSpec.TryParseRange(item.GetString()!, out port, out var high) && port == high;
        }
    }

    // ---- evaluations ---------------------------------------------------------------------------

    private static Truth EqualsOp(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error) =>
        ValueComparer.AreEqual(observed, expected.Value, out error);

    /// <summary>The text a pattern is matched against; false with the result when there is none (missing: false; an object: an error).</summary>
    private static bool PatternInput(JsonElement observed, out string text, out Truth result, out string? error)
    {
        error = null;
        result = Truth.False;
        if (PathResolver.IsMissing(observed))
        {
            text = string.Empty;
            return false;
        }

        if (!ValueComparer.TryAsText(observed, out text))
        {
            error = $"a pattern cannot be matched against {Describe.Kind(observed)}";
            result = Truth.Error;
            return false;
        }

        return true;
    }

    private static Truth RegexOp(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error)
    {
        if (!PatternInput(observed, out var text, out var result, out error))
        {
            return result;
        }

        try
        {
            return TruthLogic.FromBool(((Regex)expected.Prepared!).IsMatch(text));
        }
        catch (RegexMatchTimeoutException)
        {
            error = "the pattern took too long to match";
            return Truth.Error;
        }
    }

    private static Truth LikeOp(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error) =>
        PatternInput(observed, out var text, out var result, out error)
            ? TruthLogic.FromBool(((LikePattern)expected.Prepared!).IsMatch(text))
            : result;

    private static Truth ContainsOp(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error)
    {
        error = null;
        switch (observed.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return Truth.False;
            case JsonValueKind.Array:
                foreach (var item in observed.EnumerateArray())
                {
                    if (ValueComparer.DeepEquals(item, expected.Value))
                    {
                        return Truth.True;
                    }
                }

                return Truth.False;
            case JsonValueKind.Object:
                error = "contains does not apply to an object; use containsKey";
                return Truth.Error;
            default:
                ValueComparer.TryAsText(observed, out var text);
                ValueComparer.TryAsText(expected.Value, out var part);
                return TruthLogic.FromBool(CaseFold.Contains(text, part));
        }
    }

    private static Truth InOp(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error)
    {
        error = null;
        if (PathResolver.IsMissing(observed))
        {
            return Truth.False;
        }

        if (ValueComparer.IsContainer(observed.ValueKind))
        {
            error = $"'in' compares one value, but the field holds {Describe.Kind(observed)} (use [*] in the path to check each element)";
            return Truth.Error;
        }

        foreach (var item in expected.Value.EnumerateArray())
        {
            if (ValueComparer.ScalarEquals(observed, item))
            {
                return Truth.True;
            }
        }

        return Truth.False;
    }

    private static Truth ContainsKeyOp(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error)
    {
        error = null;
        if (PathResolver.IsMissing(observed))
        {
            return Truth.False;
        }

        if (observed.ValueKind != JsonValueKind.Object)
        {
            error = $"containsKey needs an object, but the field holds {Describe.Kind(observed)}";
            return Truth.Error;
        }

        return TruthLogic.FromBool(PathResolver.TryGetProperty(observed, expected.Value.GetString()!, out _));
    }

    private static Truth Ordered(JsonElement observed, in ExpectedValue expected, Func<int, bool> test, out string? error)
    {
        if (ValueComparer.TryCompare(observed, expected.Value, out var comparison, out error))
        {
            return TruthLogic.FromBool(test(comparison));
        }

        return error is null ? Truth.False : Truth.Error;
    }

    private static Truth LessOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => Ordered(o, e, c => c < 0, out error);

    private static Truth LessOrEqualsOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => Ordered(o, e, c => c <= 0, out error);

    private static Truth GreaterOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => Ordered(o, e, c => c > 0, out error);

    private static Truth GreaterOrEqualsOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => Ordered(o, e, c => c >= 0, out error);

    private static Truth ExistsOp(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error)
    {
        error = null;
        return TruthLogic.FromBool(!PathResolver.IsMissing(observed) == (bool)expected.Prepared!);
    }

    private static Truth Age(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, bool older, out string? error)
    {
        error = null;
        if (PathResolver.IsMissing(observed))
        {
            return Truth.False;
        }

        if (observed.ValueKind != JsonValueKind.String || !Dates.TryParse(observed.GetString(), out var when))
        {
            error = $"{Describe.Value(observed)} is not an ISO-8601 date, so its age cannot be checked";
            return Truth.Error;
        }

        var cutoff = ((IsoDuration)expected.Prepared!).SubtractFrom(now);
        return TruthLogic.FromBool(older ? when < cutoff : when > cutoff);
    }

    private static Truth OlderThanOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => Age(o, e, now, older: true, out error);

    private static Truth NewerThanOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => Age(o, e, now, older: false, out error);

    /// <summary>
    /// Orders versions part by part as numbers (see <see cref="VersionNumber"/>). A missing field is
    /// false, as with less; a value that is not a version cannot be ordered, so it is an error.
    /// </summary>
    private static Truth VersionOrdered(JsonElement observed, in ExpectedValue expected, Func<int, bool> test, out string? error)
    {
        error = null;
        if (PathResolver.IsMissing(observed))
        {
            return Truth.False;
        }

        if (!VersionNumber.TryRead(observed, out var version))
        {
            error = $"{Describe.Value(observed)} is not a version (dot-separated numbers such as 1.29.2), so it cannot be compared with {Describe.Value(expected.Value)}";
            return Truth.Error;
        }

        return TruthLogic.FromBool(test(version.CompareTo((VersionNumber)expected.Prepared!)));
    }

    private static Truth VersionLessOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => VersionOrdered(o, e, c => c < 0, out error);

    private static Truth VersionLessOrEqualsOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => VersionOrdered(o, e, c => c <= 0, out error);

    private static Truth VersionGreaterOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => VersionOrdered(o, e, c => c > 0, out error);

    private static Truth VersionGreaterOrEqualsOp(JsonElement o, in ExpectedValue e, DateTimeOffset now, out string? error) => VersionOrdered(o, e, c => c >= 0, out error);

    private static Truth CoversPortOp(JsonElement observed, in ExpectedValue expected, DateTimeOffset now, out string? error) =>
        PortSpec.Covers(observed, (int[])expected.Prepared!, out error);

    // ---- wording ---------------------------------------------------------------------------------

    private static string V(in ExpectedValue e) => Describe.Value(e.Value);

    private static string Not(bool negated) => negated ? "not " : string.Empty;

    private static string Ports(in ExpectedValue e)
    {
        var ports = (int[])e.Prepared!;
        return ports.Length == 1 ? $"port {ports[0]}" : $"any of ports {string.Join(", ", ports)}";
    }

    private static string Age(in ExpectedValue e, DateTimeOffset now, bool negated, bool older)
    {
        var duration = (IsoDuration)e.Prepared!;
        var cutoff = Dates.Format(duration.SubtractFrom(now));
        return (older, negated) switch
        {
            (true, false) => $"older than {duration.Text} (before {cutoff})",
            (true, true) => $"not older than {duration.Text} (on or after {cutoff})",
            (false, false) => $"newer than {duration.Text} (after {cutoff})",
            _ => $"not newer than {duration.Text} (on or before {cutoff})",
        };
    }
}
