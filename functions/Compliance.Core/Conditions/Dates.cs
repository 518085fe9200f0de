using System.Globalization;

namespace Compliance.Core.Conditions;

/// <summary>ISO-8601 timestamps as Azure and Graph return them ("2026-11-27T02:00:00Z", "2026-11-27T02:00:00.1234567+00:00").</summary>
internal static class Dates
{
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        // Only strings shaped like an ISO date: "1.2" or "May" must not become dates.
        if (text is null || text.Length < 10 || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]) ||
            !char.IsAsciiDigit(text[2]) || !char.IsAsciiDigit(text[3]) || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
    }

    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
