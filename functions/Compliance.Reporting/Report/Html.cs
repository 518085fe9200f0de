using System.Text;

namespace Compliance.Reporting.Report;

/// <summary>
/// Escaping for the report: every text that comes from the tenant (resource names, tags, display
/// names, reasons, justifications) goes through <see cref="Text"/>, so that markup in it stays text.
/// </summary>
internal static class Html
{
    /// <summary>The text with &amp;, &lt;, &gt;, " and ' escaped: safe in element content and in quoted attributes.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.AsSpan().IndexOfAny("&<>\"'\0") < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\0' => "\uFFFD",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>A number as the report prints it: 1,234.</summary>
    public static string Number(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"61 %" of a part, or "–" when the whole is zero.</summary>
    public static string Percent(long part, long whole) =>
        whole == 0 ? "–" : ((double)part / whole).ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
}
