using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Compliance.Core.Conditions;

/// <summary>
/// A parsed path into a resource: <c>properties.minimumTlsVersion</c>, <c>tags['env']</c>, <c>tags.env</c>,
/// <c>tags[env]</c>, <c>properties.securityRules[*].properties.access</c>, <c>properties.ipRules[0]</c>.
/// Parsed once when a pack is compiled; names match case-insensitively when resolved.
/// </summary>
internal sealed class FieldPath
{
    /// <summary>Top-level resource keywords that hold a scalar: a <c>[*]</c> right after them cannot apply.</summary>
    private static readonly HashSet<string> ScalarKeywords =
        new(StringComparer.OrdinalIgnoreCase) { "id", "name", "type", "location", "kind" };

    private FieldPath(string text, PathSegment[] segments)
    {
        Text = text;
        Segments = segments;
        WildcardCount = segments.Count(s => s.Kind == PathSegmentKind.Wildcard);
    }

    public string Text { get; }

    public PathSegment[] Segments { get; }

    public int WildcardCount { get; }

    public bool HasWildcard => WildcardCount > 0;

    public bool EndsWithWildcard => Segments.Length > 0 && Segments[^1].Kind == PathSegmentKind.Wildcard;

    public static FieldPath FromSegments(PathSegment[] segments) => new(Render(segments), segments);

    /// <summary>Whether this path starts with every segment of <paramref name="prefix"/>.</summary>
    public bool StartsWith(FieldPath prefix)
    {
        if (prefix.Segments.Length > Segments.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Segments.Length; i++)
        {
            if (!Segments[i].SameAs(prefix.Segments[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out FieldPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the path is empty";
            return false;
        }

        var segments = new List<PathSegment>();
        var i = 0;
        var expectName = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '.')
            {
                if (expectName || i == text.Length - 1)
                {
                    error = $"unexpected '.' at position {i + 1}";
                    return false;
                }

                expectName = true;
                i++;
                continue;
            }

            if (c == '[')
            {
                if (segments.Count == 0)
                {
                    error = "a path starts with a property name, not '['";
                    return false;
                }

                var close = FindClosingBracket(text, i);
                if (close < 0)
                {
                    error = $"'[' at position {i + 1} is not closed";
                    return false;
                }

                var inner = text[(i + 1)..close].Trim();
                if (inner == "*")
                {
                    segments.Add(PathSegment.Wildcard);
                }
                else if (inner.Length > 0 && inner.All(char.IsAsciiDigit))
                {
                    if (!int.TryParse(inner, System.Globalization.CultureInfo.InvariantCulture, out var index))
                    {
                        error = $"index '{inner}' is too large";
                        return false;
                    }

                    segments.Add(PathSegment.Element(index));
                }
                else
                {
                    var name = Unquote(inner);
                    if (name.Length == 0)
                    {
                        error = $"empty brackets at position {i + 1}: use [*], an index, or a quoted name such as ['env']";
                        return false;
                    }

                    segments.Add(PathSegment.Property(name));
                }

                i = close + 1;
                expectName = false;
                continue;
            }

            if (!expectName)
            {
                error = $"expected '.' or '[' at position {i + 1}";
                return false;
            }

            var end = i;
            while (end < text.Length && text[end] != '.' && text[end] != '[')
            {
                if (text[end] == ']' || text[end] == '\'' || text[end] == '"')
                {
                    error = $"unexpected '{text[end]}' at position {end + 1}";
                    return false;
                }

                end++;
            }

            segments.Add(PathSegment.Property(text[i..end].Trim()));
            expectName = false;
            i = end;
        }

        if (expectName)
        {
            error = "the path ends with '.'";
            return false;
        }

        if (segments.Count > 1 && segments[0].Kind == PathSegmentKind.Property &&
            ScalarKeywords.Contains(segments[0].Name!) && segments[1].Kind == PathSegmentKind.Wildcard)
        {
            error = $"'{segments[0].Name}' holds a single value, so '[*]' cannot apply to it";
            return false;
        }

        path = new FieldPath(text, [.. segments]);
        error = null;
        return true;
    }

    public override string ToString() => Text;

    /// <summary>Renders segments the way evidence shows them: <c>properties.rules[2].name</c>, <c>tags['env']</c>.</summary>
    public static string Render(ReadOnlySpan<PathSegment> segments, string? prefix = null)
    {
        var sb = new StringBuilder(prefix);
        foreach (var s in segments)
        {
            AppendSegment(sb, s);
        }

        return sb.ToString();
    }

    public static void AppendSegment(StringBuilder sb, PathSegment s)
    {
        switch (s.Kind)
        {
            case PathSegmentKind.Wildcard:
                sb.Append("[*]");
                break;
            case PathSegmentKind.Index:
                sb.Append('[').Append(s.Index).Append(']');
                break;
            default:
                if (s.Name!.AsSpan().IndexOfAny(". []'") >= 0)
                {
                    sb.Append("['").Append(s.Name).Append("']");
                }
                else
                {
                    if (sb.Length > 0)
                    {
                        sb.Append('.');
                    }

                    sb.Append(s.Name);
                }

                break;
        }
    }

    private static int FindClosingBracket(string text, int open)
    {
        var quote = '\0';
        for (var j = open + 1; j < text.Length; j++)
        {
            var c = text[j];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return j;
            }
        }

        return -1;
    }

    private static string Unquote(string inner)
    {
        if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0])
        {
            return inner[1..^1];
        }

        return inner;
    }
}
