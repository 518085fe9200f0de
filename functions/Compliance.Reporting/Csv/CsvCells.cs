using System.Globalization;

namespace Compliance.Reporting.Csv;

/// <summary>
/// Makes cell text safe to open in a spreadsheet. Resource names, tags and display names come from
/// the tenant, so anyone who can name a resource could plant a formula: a cell that would start
/// one (=, +, -, @, tab, carriage return) gets a leading apostrophe, as OWASP recommends. Numbers
/// such as "-5" or "+1.5" are left as they are.
/// </summary>
public static class CsvCells
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text) || Array.IndexOf(FormulaStarts, text[0]) < 0)
        {
            return text ?? string.Empty;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && text[0] is '-' or '+')
        {
            return text;
        }

        return "'" + text;
    }

    /// <summary>A time as every CSV of the tool writes it: UTC, to the second, "2026-11-27T02:00:00Z".</summary>
    public static string Time(DateTimeOffset time) => Core.Findings.IsoTime.Seconds(time);
}
