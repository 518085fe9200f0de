using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>
/// A version as the version operators compare it: dot-separated whole numbers ("1.29.2", "8.0",
/// "16", with an optional leading "v"), compared part by part as numbers, a missing part counting
/// as 0 ("1.30" equals "1.30.0"). An optional pre-release suffix ("1.29.0-preview") orders before
/// the same version without one and pre-release identifiers compare as Semantic Versioning 2.0.0
/// §11 says (https://semver.org/#spec-item-11), ASCII letters in any case; build metadata
/// ("+build.5") is ignored, as §10 says.
/// </summary>
internal sealed class VersionNumber : IComparable<VersionNumber>
{
    private readonly string[] _parts;
    private readonly string[]? _preRelease;

    private VersionNumber(string text, string[] parts, string[]? preRelease)
    {
        Text = text;
        _parts = parts;
        _preRelease = preRelease;
    }

    public string Text { get; }

    /// <summary>Reads a version from a string, or from a number as written in the JSON (16, 8.0).</summary>
    public static bool TryRead(JsonElement value, [NotNullWhen(true)] out VersionNumber? version)
    {
        version = null;
        return value.ValueKind switch
        {
            JsonValueKind.String => TryParse(value.GetString()!, out version),
            JsonValueKind.Number => TryParse(value.GetRawText(), out version),
            _ => false,
        };
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out VersionNumber? version)
    {
        version = null;
        var core = text.AsSpan();
        if (core.Length > 0 && core[0] is 'v' or 'V')
        {
            core = core[1..];
        }

        var plus = core.IndexOf('+');
        if (plus >= 0)
        {
            if (!AreIdentifiers(core[(plus + 1)..]))
            {
                return false;
            }

            core = core[..plus];
        }

        string[]? preRelease = null;
        var dash = core.IndexOf('-');
        if (dash >= 0)
        {
            var suffix = core[(dash + 1)..];
            if (!AreIdentifiers(suffix))
            {
                return false;
            }

            preRelease = suffix.ToString().Split('.');
            core = core[..dash];
        }

        var parts = new List<string>();
        foreach (var range in core.Split('.'))
        {
            var part = core[range];
            if (part.Length == 0 || part.ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            // Leading zeros do not change a number; without them, longer means larger.
            var trimmed = part.TrimStart('0');
            parts.Add(trimmed.Length == 0 ? "0" : trimmed.ToString());
        }

        if (parts.Count == 0)
        {
            return false;
        }

        version = new VersionNumber(text, [.. parts], preRelease);
        return true;
    }

    public int CompareTo(VersionNumber? other)
    {
        if (other is null)
        {
            return 1;
        }

        var length = Math.Max(_parts.Length, other._parts.Length);
        for (var i = 0; i < length; i++)
        {
            var c = CompareNumbers(i < _parts.Length ? _parts[i] : "0", i < other._parts.Length ? other._parts[i] : "0");
            if (c != 0)
            {
                return c;
            }
        }

        return (_preRelease, other._preRelease) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => ComparePreRelease(_preRelease, other._preRelease),
        };
    }

    private static int ComparePreRelease(string[] a, string[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var x = a[i];
            var y = b[i];
            var xNumeric = !x.AsSpan().ContainsAnyExceptInRange('0', '9');
            var yNumeric = !y.AsSpan().ContainsAnyExceptInRange('0', '9');
            var c = (xNumeric, yNumeric) switch
            {
                (true, true) => CompareNumbers(x.TrimStart('0'), y.TrimStart('0')),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    /// <summary>Orders two whole numbers written without leading zeros, of any length.</summary>
    private static int CompareNumbers(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);

    private static bool AreIdentifiers(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var range in text.Split('.'))
        {
            var identifier = text[range];
            if (identifier.Length == 0)
            {
                return false;
            }

            foreach (var c in identifier)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
        }

        return true;
    }
}
