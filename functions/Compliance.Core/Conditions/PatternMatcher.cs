using System.Text;
using System.Text.RegularExpressions;

namespace Compliance.Core.Conditions;

/// <summary>
/// Azure Policy's <c>match</c> pattern language (<c>#</c> = a digit, <c>?</c> = a letter, <c>.</c> = any
/// character, anything else itself), turned into an anchored regular expression once at compile time.
/// (<c>like</c> patterns are <see cref="LikePattern"/>.)
/// </summary>
internal static class PatternMatcher
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    public static Regex Match(string pattern, bool ignoreCase)
    {
        var sb = new StringBuilder("^");
        foreach (var c in pattern)
        {
            sb.Append(c switch
            {
                '#' => "[0-9]",
                '?' => "[A-Za-z]",
                '.' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        var options = RegexOptions.CultureInvariant | RegexOptions.Singleline;
        if (ignoreCase)
        {
            options |= RegexOptions.IgnoreCase;
        }

        return new Regex(sb.Append('$').ToString(), options, Timeout);
    }
}
