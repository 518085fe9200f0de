using System.Globalization;
using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>
/// Port values as NSG rules hold them: "*", "3389", "3000-4000", a number, or a list of those.
/// </summary>
internal static class PortSpec
{
    /// <summary>
    /// Whether <paramref name="observed"/> covers any of <paramref name="ports"/>. Missing covers nothing,
    /// and so does an empty string: a security rule that lists its ports in destinationPortRanges has
    /// "destinationPortRange": "" (the singular is not set; see the ARM SecurityRule schema, where
    /// destinationPortRange and destinationPortRanges are alternatives). A value that is not a port,
    /// range or "*" is an error.
    /// </summary>
    public static Truth Covers(JsonElement observed, IReadOnlyList<int> ports, out string? error)
    {
        error = null;
        if (PathResolver.IsMissing(observed))
        {
            return Truth.False;
        }

        if (observed.ValueKind == JsonValueKind.Array)
        {
            var any = false;
            foreach (var item in observed.EnumerateArray())
            {
                switch (CoversOne(item, ports, ref error))
                {
                    case Truth.True:
                        return Truth.True;
                    case Truth.Error:
                        any = true;
                        break;
                }
            }

            return any ? Truth.Error : Truth.False;
        }

        return CoversOne(observed, ports, ref error);
    }

    private static Truth CoversOne(JsonElement item, IReadOnlyList<int> ports, ref string? error)
    {
        string text;
        if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var single))
        {
            text = single.ToString(CultureInfo.InvariantCulture);
        }
        else if (item.ValueKind == JsonValueKind.String)
        {
            text = item.GetString()!.Trim();
        }
        else
        {
            error = $"{Describe.Value(item)} is not a port, a port range or '*'";
            return Truth.Error;
        }

        if (text.Length == 0)
        {
            // Azure returns "destinationPortRange": "" beside a destinationPortRanges list: not set, no port.
            return Truth.False;
        }

        if (!TryParseRange(text, out var low, out var high))
        {
            error = $"{Describe.Quote(text)} is not a port, a port range or '*'";
            return Truth.Error;
        }

        foreach (var port in ports)
        {
            if (port >= low && port <= high)
            {
                return Truth.True;
            }
        }

        return Truth.False;
    }

    public static bool TryParseRange(string text, out int low, out int high)
    {
        if (text is "*" or "Any" or "any")
        {
            low = 0;
            high = 65535;
            return true;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            var ok = TryParsePort(text, out low);
            high = low;
            return ok;
        }

        low = high = 0;
        return TryParsePort(text[..dash].Trim(), out low) && TryParsePort(text[(dash + 1)..].Trim(), out high) && low <= high;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
}
