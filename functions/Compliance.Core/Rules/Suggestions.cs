namespace Compliance.Core.Rules;

/// <summary>"did you mean …?" for misspelt keys, operators and parameters.</summary>
internal static class Suggestions
{
    public static string DidYouMean(string written, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Key: k, Distance: Distance(written.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Max(2, written.Length / 3))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Key is null ? string.Empty : $"; did you mean '{best.Key}'?";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
