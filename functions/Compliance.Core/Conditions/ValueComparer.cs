using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>
/// Azure Policy's comparison rules: strings compare case-insensitively with full case folding (<see cref="CaseFold"/>),
/// booleans equal "true"/"false", numbers equal numeric strings, and a comparison the data cannot
/// support (an object against a string, a date that does not parse) is an error, not a result.
/// </summary>
internal static class ValueComparer
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static Truth AreEqual(JsonElement observed, JsonElement expected, out string? error)
    {
        error = null;
        var observedMissing = PathResolver.IsMissing(observed);
        var expectedMissing = PathResolver.IsMissing(expected);
        if (observedMissing || expectedMissing)
        {
            return TruthLogic.FromBool(observedMissing && expectedMissing);
        }

        var ok = observed.ValueKind;
        var ek = expected.ValueKind;
        if (IsContainer(ok) || IsContainer(ek))
        {
            if (ok == ek)
            {
                return TruthLogic.FromBool(DeepEquals(observed, expected));
            }

            error = $"cannot compare {Describe.Kind(observed)} with {Describe.Kind(expected)}";
            return Truth.Error;
        }

        return TruthLogic.FromBool(ScalarEquals(observed, expected));
    }

    /// <summary>Equality of two scalars (never errors): used by equals, in and contains over arrays.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static bool ScalarEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number)
        {
            return a.GetDouble() == b.GetDouble();
        }

        if (IsBool(a) || IsBool(b))
        {
            return TryAsBool(a, out var x) && TryAsBool(b, out var y) && x == y;
        }

        if (a.ValueKind == JsonValueKind.Number || b.ValueKind == JsonValueKind.Number)
        {
            return TryAsNumber(a, out var x) && TryAsNumber(b, out var y) && x == y;
        }

        if (a.ValueKind == JsonValueKind.String && b.ValueKind == JsonValueKind.String)
        {
            return TextEqualsIgnoreCase(a, b);
        }

        return false;
    }

    /// <summary>
    /// Two JSON strings, compared case-insensitively with full case folding (<see cref="CaseFold"/>).
    /// ASCII text without escapes (nearly every Azure value) is compared as raw UTF-8, without
    /// allocating; anything else as folded .NET strings.
    /// </summary>
    private static bool TextEqualsIgnoreCase(JsonElement a, JsonElement b)
    {
        var rawA = JsonMarshal.GetRawUtf8Value(a);
        var rawB = JsonMarshal.GetRawUtf8Value(b);
        if (rawA.IndexOf((byte)'\\') < 0 && rawB.IndexOf((byte)'\\') < 0 && Ascii.IsValid(rawA) && Ascii.IsValid(rawB))
        {
            return Ascii.EqualsIgnoreCase(rawA, rawB);
        }

        return CaseFold.AreEqual(a.GetString()!, b.GetString()!);
    }

    public static bool DeepEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return !IsContainer(a.ValueKind) && !IsContainer(b.ValueKind) && ScalarEquals(a, b);
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }

                using (var ea = a.EnumerateArray())
                using (var eb = b.EnumerateArray())
                {
                    while (ea.MoveNext() && eb.MoveNext())
                    {
                        if (!DeepEquals(ea.Current, eb.Current))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case JsonValueKind.Object:
                var count = 0;
                foreach (var property in a.EnumerateObject())
                {
                    count++;
                    if (!PathResolver.TryGetProperty(b, property.Name, out var other) || !DeepEquals(property.Value, other))
                    {
                        return false;
                    }
                }

                return count == b.EnumerateObject().Count();
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return true;
            default:
                return ScalarEquals(a, b);
        }
    }

    /// <summary>
    /// Orders two values for less/greater. Returns false without an error when the observed value is
    /// missing (a missing value is not less than anything); sets <paramref name="error"/> when the
    /// values cannot be ordered.
    /// </summary>
    public static bool TryCompare(JsonElement observed, JsonElement expected, out int comparison, out string? error)
    {
        comparison = 0;
        error = null;
        if (PathResolver.IsMissing(observed))
        {
            return false;
        }

        if (TryAsNumber(observed, out var on) && TryAsNumber(expected, out var en) &&
            (observed.ValueKind == JsonValueKind.Number || expected.ValueKind == JsonValueKind.Number))
        {
            comparison = on.CompareTo(en);
            return true;
        }

        if (observed.ValueKind == JsonValueKind.String && expected.ValueKind == JsonValueKind.String)
        {
            var os = observed.GetString()!;
            var es = expected.GetString()!;
            var expectedIsDate = Dates.TryParse(es, out var ed);
            var observedIsDate = Dates.TryParse(os, out var od);
            if (expectedIsDate || observedIsDate)
            {
                if (expectedIsDate && observedIsDate)
                {
                    comparison = od.CompareTo(ed);
                    return true;
                }

                error = expectedIsDate
                    ? $"{Describe.Quote(os)} is not a date, so it cannot be compared with the date {Describe.Quote(es)}"
                    : $"the date {Describe.Quote(os)} cannot be compared with {Describe.Quote(es)}, which is not a date";
                return false;
            }

            comparison = CaseFold.Compare(os, es);
            return true;
        }

        error = $"cannot order {Describe.Kind(observed)} ({Describe.Value(observed)}) against {Describe.Kind(expected)} ({Describe.Value(expected)})";
        return false;
    }

    public static bool TryAsNumber(JsonElement value, out double number)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                number = value.GetDouble();
                return true;
            case JsonValueKind.String:
                return double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
            default:
                number = 0;
                return false;
        }
    }

    public static bool TryAsBool(JsonElement value, out bool result)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                result = true;
                return true;
            case JsonValueKind.False:
                result = false;
                return true;
            case JsonValueKind.String:
                return bool.TryParse(value.GetString(), out result);
            default:
                result = false;
                return false;
        }
    }

    /// <summary>A scalar as text (for like/match/contains): strings as they are, numbers and booleans in JSON form.</summary>
    public static bool TryAsText(JsonElement value, out string text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!;
                return true;
            case JsonValueKind.Number:
                text = value.GetRawText();
                return true;
            case JsonValueKind.True:
                text = "true";
                return true;
            case JsonValueKind.False:
                text = "false";
                return true;
            default:
                text = string.Empty;
                return false;
        }
    }

    public static bool IsContainer(JsonValueKind kind) => kind is JsonValueKind.Array or JsonValueKind.Object;

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;
}
