using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Compliance.Core.Conditions;

/// <summary>
/// An ISO-8601 duration such as P14D, P1Y6M, P2W or PT12H. Years and months are calendar units,
/// applied with calendar arithmetic (P1M before 31 March is 28/29 February).
/// </summary>
internal sealed partial record IsoDuration(int Years, int Months, int Weeks, int Days, int Hours, int Minutes, int Seconds, string Text)
{
    public DateTimeOffset SubtractFrom(DateTimeOffset instant) =>
        instant.AddYears(-Years).AddMonths(-Months).AddDays(-(Weeks * 7) - Days)
            .AddHours(-Hours).AddMinutes(-Minutes).AddSeconds(-Seconds);

    public static bool TryParse(string? text, [NotNullWhen(true)] out IsoDuration? duration)
    {
        duration = null;
        if (text is null)
        {
            return false;
        }

        var m = Pattern().Match(text);
        if (!m.Success || text is "P" or "PT" || text.EndsWith('T'))
        {
            return false;
        }

        static int Part(Match m, string name) =>
            m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;

        duration = new IsoDuration(Part(m, "y"), Part(m, "mo"), Part(m, "w"), Part(m, "d"), Part(m, "h"), Part(m, "mi"), Part(m, "s"), text);
        return true;
    }

    [GeneratedRegex(@"^P(?:(?<y>\d{1,4})Y)?(?:(?<mo>\d{1,5})M)?(?:(?<w>\d{1,5})W)?(?:(?<d>\d{1,6})D)?(?:T(?:(?<h>\d{1,7})H)?(?:(?<mi>\d{1,9})M)?(?:(?<s>\d{1,9})S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
