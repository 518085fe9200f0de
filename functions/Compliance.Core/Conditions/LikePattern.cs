namespace Compliance.Core.Conditions;

/// <summary>
/// Azure Policy's <c>like</c> pattern: <c>*</c> matches any run of characters (also none), <c>?</c>
/// exactly one character, anything else itself, compared case-insensitively with full case folding
/// like every other value (<see cref="CaseFold"/>); the whole value must match. Learn documents the
/// <c>*</c> (https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule#conditions);
/// Microsoft's engine tests add the <c>?</c> ("vm-1" is like "vm-?", microsoft/regorus
/// tests/azure_policy/cases/operators.yaml, like_question_mark). "One character" is one Unicode
/// character of the folded value: "ß" folds to "ss", so it is like "??", not like "?".
/// </summary>
internal sealed class LikePattern
{
    private readonly string _pattern;
    private readonly bool _ascii;
    private string? _folded;

    public LikePattern(string pattern)
    {
        _pattern = pattern;
        _ascii = CaseFold.IsAscii(pattern);
    }

    public bool IsMatch(string value)
    {
        if (_ascii && CaseFold.IsAscii(value))
        {
            return Glob(value, _pattern, ignoreAsciiCase: true);
        }

        _folded ??= CaseFold.Fold(_pattern);
        return Glob(CaseFold.Fold(value), _folded, ignoreAsciiCase: false);
    }

    /// <summary>Matches with one backtracking point (the last <c>*</c>): linear in practice, never exponential.</summary>
    private static bool Glob(string value, string pattern, bool ignoreAsciiCase)
    {
        int v = 0, p = 0, starP = -1, starV = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starV = v;
            }
            else if (p < pattern.Length && pattern[p] == '?')
            {
                p++;
                v += CharLength(value, v);
            }
            else if (p < pattern.Length && Same(pattern[p], value[v], ignoreAsciiCase))
            {
                p++;
                v++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                starV += CharLength(value, starV);
                v = starV;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreAsciiCase) =>
        a == b || (ignoreAsciiCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));

    /// <summary>A character is one UTF-16 unit, or two for a surrogate pair.</summary>
    private static int CharLength(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;

    public override string ToString() => _pattern;
}
