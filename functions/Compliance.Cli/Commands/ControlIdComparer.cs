using System.Globalization;

namespace Compliance.Cli.Commands;

/// <summary>
/// Orders control ids the way people read them: numbers by value, so "2.4" comes before "2.26",
/// "A.8.2" before "A.8.20" and "AC-2" before "AC-2(3)" before "AC-6".
/// </summary>
internal sealed class ControlIdComparer : IComparer<string>
{
    public static readonly ControlIdComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var a = ReadNumber(x, ref i);
                var b = ReadNumber(y, ref j);
                var byValue = a.CompareTo(b);
                if (byValue != 0)
                {
                    return byValue;
                }

                continue;
            }

            var byChar = char.ToUpperInvariant(x[i]).CompareTo(char.ToUpperInvariant(y[j]));
            if (byChar != 0)
            {
                return byChar;
            }

            i++;
            j++;
        }

        var byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    private static decimal ReadNumber(string text, ref int index)
    {
        var start = index;
        while (index < text.Length && char.IsAsciiDigit(text[index]))
        {
            index++;
        }

        // Control ids hold short numbers; decimal keeps even a long run of digits exact.
        return decimal.Parse(text.AsSpan(start, Math.Min(index - start, 28)), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
