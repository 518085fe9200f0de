using System.Globalization;
using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>Counts as JSON numbers, so a count goes through the same operator table as any other value.</summary>
internal static class CountNumbers
{
    private const int Cached = 256;
    private static readonly JsonElement[] Small = Build();

    public static JsonElement Of(long count)
    {
        if (count is >= 0 and < Cached)
        {
            return Small[count];
        }

        using var doc = JsonDocument.Parse(count.ToString(CultureInfo.InvariantCulture));
        return doc.RootElement.Clone();
    }

    private static JsonElement[] Build()
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, Cached)) + "]";
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
