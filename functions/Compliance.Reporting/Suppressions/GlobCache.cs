using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Compliance.Reporting.Suppressions;

/// <summary>Compiles '*'/'?' patterns once: a suppression set is matched against every finding.</summary>
internal static class GlobCache
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static Regex Get(string pattern) => Cache.GetOrAdd(pattern, Compile);

    private static Regex Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        regex.Append('$');
        return new Regex(regex.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
