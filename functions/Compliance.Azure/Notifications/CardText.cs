using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Compliance.Azure.Notifications;

/// <summary>
/// Tenant-controlled text (resource names, tags, display names, reasons quoting observed values)
/// made safe for an Adaptive Card. The card puts such text only in TextRuns, which render no
/// Markdown; on top of that this removes what could still act: control and invisible formatting
/// characters (line breaks, bidirectional overrides that reverse how a name reads), Teams mention
/// tags (&lt;at&gt;), the card's {{DATE()}} / {{TIME()}} functions and anything a client could turn
/// into a link (scheme://, www.). Text is capped in length.
/// </summary>
public static partial class CardText
{
    /// <summary>Breaks a sequence without changing what a person reads (U+2060 WORD JOINER is invisible).</summary>
    private const string Breaker = "\u2060";

    public static string Plain(string? text, int maxLength = 200)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 16));
        var lastWasSpace = true;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate)
            {
                continue;
            }

            if (category is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator || Rune.IsWhiteSpace(rune))
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                    lastWasSpace = true;
                }

                continue;
            }

            builder.Append(rune.ToString());
            lastWasSpace = false;
        }

        var plain = builder.ToString().TrimEnd();
        plain = Defuse(plain);
        return Truncate(plain, maxLength);
    }

    private static string Defuse(string text) =>
        Linkable().Replace(text.Replace("{{", "{" + Breaker + "{", StringComparison.Ordinal).Replace("<", "<" + Breaker, StringComparison.Ordinal), m => m.Groups[1].Value + Breaker + m.Groups[2].Value);

    /// <summary>"scheme://" and "www." — what clients turn into links.</summary>
    [GeneratedRegex(@"([A-Za-z][A-Za-z0-9+.-]*:|\bwww)(//|\.)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Linkable();

    private static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        // Cut between text elements, never inside a surrogate pair or a combining sequence.
        var info = new StringInfo(text);
        var kept = new StringBuilder(maxLength + 1);
        for (var i = 0; i < info.LengthInTextElements; i++)
        {
            var element = info.SubstringByTextElements(i, 1);
            if (kept.Length + element.Length > maxLength - 1)
            {
                break;
            }

            kept.Append(element);
        }

        return kept.ToString().TrimEnd() + "…";
    }
}
