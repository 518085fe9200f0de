using System.Text;

namespace Compliance.Cli.Output;

/// <summary>
/// Lines that fit the terminal: a line too long is cut at a word boundary and ends with "…", text
/// that is allowed to run on is wrapped between words, and no word is ever broken in the middle
/// (a single word wider than the line is cut and ends with "…"). Widths are terminal cells: East
/// Asian wide characters and emoji take two.
/// </summary>
internal static class ConsoleText
{
    public const string Ellipsis = "…";

    /// <summary>The text on one line of at most <paramref name="width"/> cells.</summary>
    public static string Fit(string text, int width)
    {
        text = OneLine(text);
        if (Cells(text) <= width)
        {
            return text;
        }

        var room = Math.Max(1, width - 1);
        var cut = Prefix(text, room);

        // Back off to the last space, unless that would leave less than half the line.
        var space = cut.LastIndexOf(' ');
        if (space >= cut.Length / 2)
        {
            cut = cut[..space];
        }

        return cut.TrimEnd(' ', ',', ';', ':', '·') + Ellipsis;
    }

    /// <summary>The text wrapped between words into lines of at most <paramref name="width"/> cells, every line after the first indented.</summary>
    public static IEnumerable<string> Wrap(string text, int width, string indent = "", string firstIndent = "")
    {
        var line = new StringBuilder(firstIndent);
        var lineCells = Cells(firstIndent);
        var empty = true;
        foreach (var word in OneLine(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var wordCells = Cells(word);
            if (!empty && lineCells + 1 + wordCells > width)
            {
                yield return line.ToString();
                line.Clear().Append(indent);
                lineCells = Cells(indent);
                empty = true;
            }

            var shown = lineCells + (empty ? 0 : 1) + wordCells > width ? Fit(word, width - lineCells - (empty ? 0 : 1)) : word;
            if (!empty)
            {
                line.Append(' ');
                lineCells++;
            }

            line.Append(shown);
            lineCells += Cells(shown);
            empty = false;
        }

        if (!empty || line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    /// <summary>Terminal cells the text takes.</summary>
    public static int Cells(string text)
    {
        var cells = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length)
            {
                cells += 2; // emoji and other astral characters
                i++;
            }
            else
            {
                cells += IsWide(c) ? 2 : char.IsControl(c) ? 0 : 1;
            }
        }

        return cells;
    }

    private static string Prefix(string text, int cells)
    {
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var step = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var width = step == 2 ? 2 : IsWide(text[i]) ? 2 : 1;
            if (used + width > cells)
            {
                return text[..i];
            }

            used += width;
            i += step - 1;
        }

        return text;
    }

    /// <summary>Control characters and line breaks of tenant-controlled text become spaces: one finding, one line.</summary>
    private static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString();
    }

    private static bool IsWide(char c) =>
        c is >= '\u1100' and <= '\u115F' or >= '\u2E80' and <= '\uA4CF' or >= '\uAC00' and <= '\uD7A3' or >= '\uF900' and <= '\uFAFF'
            or >= '\uFE30' and <= '\uFE4F' or >= '\uFF00' and <= '\uFF60' or >= '\uFFE0' and <= '\uFFE6';
}
