namespace Compliance.Core.Rules;

/// <summary>"did you mean …?" for misspelt keys, operators, parameters, commands and options.</summary>
public static class Suggestions
{
    /// <summary>"; did you mean 'x'?" for the closest known name, or empty when none is close.</summary>
    public static string DidYouMean(string written, IEnumerable<string> known) =>
        Closest(written, known) is { } best ? $"; did you mean '{best}'?" : string.Empty;

    /// <summary>
    /// The known name closest to <paramref name="written"/> (edit distance, any case), or null when
    /// none is within a third of its length (at least two edits).
    /// </summary>
    public static string? Closest(string written, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(written);
        return known
            .Select(k => (Key: k, Distance: Distance(written.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Max(2, written.Length / 3))
            .OrderBy(x => x.Distance)
            .FirstOrDefault().Key;
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
