using System.Text;

namespace Compliance.Azure.Storage;

/// <summary>
/// Table keys may not hold '/', '\', '#', '?' or control characters, and scope ids are full of
/// slashes: every character but letters, digits, '-', '_' and '.' is written as '~' and its UTF-8
/// bytes in hex. Reversible and still readable.
/// </summary>
internal static class TableKeys
{
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < value.Length
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), bytes)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('~').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>The row key of a scope of a run: scope ids are case-insensitive.</summary>
    public static string Scope(string scopeId) => ScopePrefix + Escape(scopeId.ToLowerInvariant());

    public static string Notification(string channel) => NotificationPrefix + Escape(channel);

    public const string Run = "run";
    public const string ScopePrefix = "scope~";
    public const string NotificationPrefix = "notify~";
}
