using System.Text;
using System.Text.Json;

namespace Compliance.Core.Rules;

/// <summary>
/// Placeholders in a rule's title, description and remediation: <c>{maxSubscriptionOwners}</c> is
/// replaced by the parameter's value in force (the pack default, or a <c>--param</c> / test
/// override), so that "at most {maxSubscriptionOwners} Owners" never states a stale threshold.
/// <c>{{name}}</c> is the literal text <c>{name}</c>; braces around anything but a name (a JSON body
/// in a remediation) are text.
/// </summary>
internal static class RuleText
{
    /// <summary>The placeholders of a text, in order: their names and where each starts.</summary>
    public static IEnumerable<(string Name, int Index)> Placeholders(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Token(text, i) is { } token)
            {
                if (!token.Literal)
                {
                    yield return (token.Name, i);
                }

                i += token.Length - 1;
            }
        }
    }

    /// <summary>The text with every placeholder replaced by its value; unknown names are left as written.</summary>
    public static string Render(string text, Func<string, JsonElement?> valueOf)
    {
        if (!text.Contains('{', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            if (Token(text, i) is not { } token)
            {
                sb.Append(text[i]);
                continue;
            }

            if (token.Literal)
            {
                sb.Append('{').Append(token.Name).Append('}');
            }
            else if (valueOf(token.Name) is { } value)
            {
                sb.Append(Show(value));
            }
            else
            {
                sb.Append(text, i, token.Length);
            }

            i += token.Length - 1;
        }

        return sb.ToString();
    }

    /// <summary>A parameter value as a reader expects it in a sentence: 3, TLS1_2, true, 22, 3389.</summary>
    public static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Show)),
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => value.GetRawText(),
    };

    /// <summary>A placeholder <c>{name}</c> or an escaped <c>{{name}}</c> starting at <paramref name="i"/>, if there is one.</summary>
    private static (string Name, int Length, bool Literal)? Token(string text, int i)
    {
        if (text[i] != '{')
        {
            return null;
        }

        var literal = i + 1 < text.Length && text[i + 1] == '{';
        var start = literal ? i + 2 : i + 1;
        var end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        if (end == start || !char.IsAsciiLetter(text[start]) && text[start] != '_')
        {
            return null;
        }

        var closing = literal ? "}}" : "}";
        if (string.CompareOrdinal(text, end, closing, 0, closing.Length) != 0)
        {
            return null;
        }

        return (text[start..end], end + closing.Length - i, literal);
    }
}
