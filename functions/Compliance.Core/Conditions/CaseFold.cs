using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Compliance.Core.Conditions;

/// <summary>
/// Case-insensitive comparison of condition <em>values</em> as Azure Policy does it: "String
/// comparisons are made using InvariantCultureIgnoreCase"
/// (https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule#conditions),
/// which folds case fully: <c>Straße</c> equals <c>STRASSE</c>, <c>ﬃ</c> equals <c>FFI</c>, Σ, σ and ς
/// are one letter. Microsoft's own Azure Policy engine (microsoft/regorus,
/// src/languages/azure_policy/strings/case_fold.rs, tests/azure_policy/cases/casing.yaml) implements
/// that as Unicode full case folding followed by an ordinal comparison, and so does this class, from
/// the Unicode CaseFolding table embedded beside it (statuses C and F).
/// <para>
/// It does not use .NET's own culture-aware comparison: this repository runs with
/// InvariantGlobalization=true (Directory.Build.props), where InvariantCultureIgnoreCase is plain
/// ordinal ignore-case (ß ≠ SS, ﬃ ≠ FFI), and even with ICU (ICU 72 on this machine, .NET 10)
/// String.Equals("Straße", "STRASSE", InvariantCultureIgnoreCase) is false. The folding here gives the
/// same answer in every globalization mode. Property names are not compared here: they stay ordinal
/// ignore-case, as ARM compares them.
/// </para>
/// Text that is all ASCII (nearly every Azure value) takes a fast path that allocates nothing and
/// agrees with the folding (ASCII folds to lower case).
/// </summary>
internal static class CaseFold
{
    private static readonly Lazy<FrozenDictionary<int, string>> Table = new(LoadTable);

    public static bool IsAscii(string text) => Ascii.IsValid(text);

    /// <summary>The full case folding of <paramref name="text"/>: the form two equal values share.</summary>
    public static string Fold(string text)
    {
        if (IsAscii(text))
        {
            return text.ToLowerInvariant();
        }

        var table = Table.Value;
        var sb = new StringBuilder(text.Length + 4);
        foreach (var rune in text.EnumerateRunes())
        {
            if (table.TryGetValue(rune.Value, out var folded))
            {
                sb.Append(folded);
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }

        return sb.ToString();
    }

    public static bool AreEqual(string a, string b) =>
        IsAscii(a) && IsAscii(b)
            ? string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
            : string.Equals(Fold(a), Fold(b), StringComparison.Ordinal);

    /// <summary>Orders folded text by code point (so the ASCII fast path, which lower-cases, agrees with it).</summary>
    public static int Compare(string a, string b)
    {
        if (IsAscii(a) && IsAscii(b))
        {
            var n = Math.Min(a.Length, b.Length);
            for (var i = 0; i < n; i++)
            {
                var c = char.ToLowerInvariant(a[i]) - char.ToLowerInvariant(b[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.Length - b.Length;
        }

        var x = Fold(a).EnumerateRunes();
        var y = Fold(b).EnumerateRunes();
        while (true)
        {
            var hasX = x.MoveNext();
            var hasY = y.MoveNext();
            if (!hasX || !hasY)
            {
                return hasX ? 1 : hasY ? -1 : 0;
            }

            var c = x.Current.Value - y.Current.Value;
            if (c != 0)
            {
                return c;
            }
        }
    }

    public static bool Contains(string text, string part) =>
        IsAscii(text) && IsAscii(part)
            ? text.Contains(part, StringComparison.OrdinalIgnoreCase)
            : Fold(text).Contains(Fold(part), StringComparison.Ordinal);

    private static FrozenDictionary<int, string> LoadTable()
    {
        using var stream = typeof(CaseFold).Assembly.GetManifestResourceStream("Compliance.Core.CaseFolding.txt")
            ?? throw new InvalidOperationException("The Unicode case folding table is not embedded in Compliance.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var table = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // <code>; <status>; <mapping>: the file holds only the C and F lines.
            var fields = line.Split(';', StringSplitOptions.TrimEntries);
            var code = int.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var mapping = string.Concat(fields[2].Split(' ').Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
            table[code] = mapping;
        }

        return table.ToFrozenDictionary();
    }
}
