using System.Globalization;

namespace Compliance.Core.Findings;

/// <summary>
/// The one home of the tool's time formats: every time it writes is UTC ISO 8601. Seconds for what
/// people and auditors read (CSV, snapshots, manifests), full precision where order or round trips
/// matter (stores, JSON), and a compact form for names (run ids, file names).
/// </summary>
public static class IsoTime
{
    /// <summary>"2026-11-27T02:00:00Z".</summary>
    public const string SecondsFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>"2026-11-27T02:00:00.1234567Z": 100 ns precision, fixed width, so it sorts as text in time order.</summary>
    public const string SortableFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>"2026-11-27T02:00:00Z" or "2026-11-27T02:00:00.5Z": as precise as the time is, no trailing zeros.</summary>
    public const string ExactFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// <summary>"20261127T020000Z": no separators, for names.</summary>
    public const string CompactFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string Seconds(DateTimeOffset time) => Format(time, SecondsFormat);

    public static string Sortable(DateTimeOffset time) => Format(time, SortableFormat);

    public static string Exact(DateTimeOffset time) => Format(time, ExactFormat);

    public static string Compact(DateTimeOffset time) => Format(time, CompactFormat);

    /// <summary>"2026-11-27 02:00 UTC": for people, in tables and messages.</summary>
    public static string Minutes(DateTimeOffset time) => Format(time, "yyyy-MM-dd HH:mm 'UTC'");

    /// <summary>Reads a time written by <see cref="Sortable"/>.</summary>
    public static DateTimeOffset ParseSortable(string text) =>
        DateTimeOffset.ParseExact(text, SortableFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Reads any ISO 8601 date-time with a zone (or UTC when it has none).</summary>
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static string Format(DateTimeOffset time, string format) =>
        time.ToUniversalTime().ToString(format, CultureInfo.InvariantCulture);
}
