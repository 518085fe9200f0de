using System.Text;
using System.Text.Json;
using Compliance.Core.Conditions;

namespace Compliance.Core.Rules;

/// <summary>
/// A rule's <c>message</c>: the sentence a failing finding shows, in plain words, with placeholders
/// the resource and the deciding evidence fill in —
/// <c>"Guest {name(resource.properties.principalId)} holds {name(resource.properties.roleDefinitionId)} on {scope(resource.properties.scope)}"</c>.
/// A placeholder is one or more alternatives separated by <c>|</c>; the first that has a value is
/// shown (<c>{match.properties.destinationPortRange|match.properties.destinationPortRanges|'any port'}</c>).
/// <c>{{</c> and <c>}}</c> are literal braces. Parsed and checked when the pack is loaded
/// (<see cref="Parse"/>); rendered for each failing finding (<see cref="Render"/>).
/// </summary>
public sealed class MessageTemplate
{
    /// <summary>Placeholders that are not pack parameters, with what they show (rules/README.md documents each).</summary>
    internal static readonly IReadOnlyList<string> Sources =
        ["resource", "resource.PATH", "subscription", "resourceGroup", "count", "total", "match", "match.PATH", "matches", "matches.PATH", "observed", "expected"];

    private static readonly string[] SourceNames = ["resource", "subscription", "resourceGroup", "count", "total", "match", "matches", "observed", "expected"];

    /// <summary>How many matches <c>{matches}</c> names before "and N more".</summary>
    internal const int MatchesShown = 5;

    private readonly IReadOnlyList<Part> _parts;
    private readonly Func<string, JsonElement?> _parameters;

    private MessageTemplate(string text, IReadOnlyList<Part> parts, Func<string, JsonElement?> parameters)
    {
        Text = text;
        _parts = parts;
        _parameters = parameters;
        var alternatives = parts.OfType<Placeholder>().SelectMany(p => p.Alternatives).ToList();
        ResourcePaths = [.. alternatives.Where(a => a.Source == SourceKind.Resource && a.Path is not null).Select(a => a.Path!)];
        MatchPaths = [.. alternatives.Where(a => a.Source is SourceKind.Match or SourceKind.Matches && a.Path is not null).Select(a => a.Path!)];
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Paths the template reads on the evaluated resource (kept for rules that wait for the whole snapshot).</summary>
    internal IReadOnlyList<FieldPath> ResourcePaths { get; }

    /// <summary>Paths the template reads on what a count matched (kept on related candidates).</summary>
    internal IReadOnlyList<FieldPath> MatchPaths { get; }

    /// <summary>
    /// Parses a template; <paramref name="problems"/> gets each placeholder that cannot be shown (an
    /// unknown name, a path that does not parse), with the offset in the text where it starts.
    /// </summary>
    internal static MessageTemplate Parse(string text, IReadOnlyCollection<string> parameters, Func<string, JsonElement?> valueOf, List<(int Index, string Message)> problems)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                problems.Add((i, "a '}' without its '{' (write }} for a literal brace)"));
                continue;
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            var end = ClosingBrace(text, i + 1);
            if (end < 0)
            {
                problems.Add((i, "a '{' without its '}' (write {{ for a literal brace)"));
                break;
            }

            if (literal.Length > 0)
            {
                parts.Add(new Literal(literal.ToString()));
                literal.Clear();
            }

            var alternatives = new List<Alternative>();
            foreach (var written in SplitAlternatives(text[(i + 1)..end]))
            {
                if (ParseAlternative(written.Trim(), parameters, out var alternative) is { } problem)
                {
                    problems.Add((i, problem));
                }
                else
                {
                    alternatives.Add(alternative!);
                }
            }

            parts.Add(new Placeholder(alternatives));
            i = end;
        }

        if (literal.Length > 0)
        {
            parts.Add(new Literal(literal.ToString()));
        }

        return new MessageTemplate(text, parts, valueOf);
    }

    /// <summary>The same template showing other parameter values (a scan's <c>--param</c>, a test's parameters).</summary>
    internal MessageTemplate WithParameters(Func<string, JsonElement?> valueOf) => new(Text, _parts, valueOf);

    /// <summary>The message of one finding.</summary>
    internal string Render(MessageInput input)
    {
        var sb = new StringBuilder(Text.Length + 32);
        foreach (var part in _parts)
        {
            switch (part)
            {
                case Literal literal:
                    sb.Append(literal.Text);
                    break;
                case Placeholder placeholder:
                    sb.Append(Show(placeholder, input));
                    break;
            }
        }

        return sb.ToString();
    }

    private string Show(Placeholder placeholder, MessageInput input)
    {
        foreach (var alternative in placeholder.Alternatives)
        {
            var values = Values(alternative, input);
            var shown = string.Join(", ", values.Where(v => v.Length > 0));
            if (shown.Length > 0)
            {
                return shown;
            }
        }

        return "(not set)";
    }

    private List<string> Values(Alternative alternative, MessageInput input)
    {
        var raw = alternative.Source switch
        {
            SourceKind.Literal => [alternative.Literal!],
            SourceKind.Parameter => _parameters(alternative.Parameter!) is { } value ? Texts(value) : [],
            SourceKind.Resource when alternative.Path is null => [input.ResourceName],
            SourceKind.Resource => Texts(input.Resource, alternative.Path),
            SourceKind.Subscription => input.SubscriptionId is { } subscription ? [input.ScopeName($"/subscriptions/{subscription}") ?? subscription] : [],
            SourceKind.ResourceGroup => Snapshots.ResourceIds.ResourceGroupIdOf(input.ResourceId) is { } group ? [Snapshots.ResourceIds.LastSegment(group)] : [],
            SourceKind.Count => input.Facts.Count is { } count ? [count.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [],
            SourceKind.Total => input.Facts.Total is { } total ? [total.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [],
            SourceKind.Match => input.Facts.Matches.Count == 0 ? [] : MatchValues(input.Facts.Matches[0], alternative.Path),
            SourceKind.Matches => AllMatches(input, alternative),
            SourceKind.Observed => input.Observed is { } observed ? [observed] : [],
            SourceKind.Expected => input.Expected is { } expected ? [expected] : [],
            _ => [],
        };

        return alternative.Function switch
        {
            FunctionKind.Name when alternative.Source != SourceKind.Matches => [.. raw.Select(input.NameOf)],
            FunctionKind.Scope => [.. raw.Select(input.DescribeScope)],
            _ => raw,
        };
    }

    private static List<string> MatchValues(MessageFacts.Match match, FieldPath? path) =>
        path is null ? [match.Shown] : match.Values.TryGetValue(path, out var values) ? values : [];

    private static List<string> AllMatches(MessageInput input, Alternative alternative)
    {
        var shown = input.Facts.Matches
            .SelectMany(m => MatchValues(m, alternative.Path).Select(v => alternative.Function == FunctionKind.Name ? input.NameOf(v) : v))
            .Where(v => v.Length > 0)
            .ToList();
        var more = (input.Facts.Count ?? shown.Count) - input.Facts.Matches.Count;
        if (shown.Count > 0 && more > 0)
        {
            shown[^1] += $" and {more} more";
        }

        return shown;
    }

    /// <summary>What a value shows in a sentence: strings as they are, arrays as a list, objects by their name.</summary>
    internal static List<string> Texts(JsonElement root, FieldPath path)
    {
        var found = new List<ResolvedValue>();
        string? error = null, notIterable = null;
        PathResolver.ResolveMany(root, path.Segments, null, withPaths: false, found, ref error, ref notIterable);
        return [.. found.SelectMany(v => Texts(v.Value))];
    }

    internal static List<string> Texts(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Number => [value.GetRawText()],
        JsonValueKind.True => ["true"],
        JsonValueKind.False => ["false"],
        JsonValueKind.Array => [.. value.EnumerateArray().SelectMany(Texts)],
        JsonValueKind.Object => [ObjectName(value)],
        _ => [],
    };

    /// <summary>An object in a sentence: its name or display name, else its JSON.</summary>
    internal static string ObjectName(JsonElement value) =>
        (PathResolver.TryGetProperty(value, "name", out var name) || PathResolver.TryGetProperty(value, "displayName", out name)) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : value.GetRawText();

    private static string? ParseAlternative(string written, IReadOnlyCollection<string> parameters, out Alternative? alternative)
    {
        alternative = null;
        if (written.Length == 0)
        {
            return "an empty placeholder";
        }

        if (written.Length >= 2 && written[0] == '\'' && written[^1] == '\'')
        {
            alternative = new Alternative(SourceKind.Literal, FunctionKind.None, null, written[1..^1], null);
            return null;
        }

        var function = FunctionKind.None;
        var inner = written;
        foreach (var (prefix, kind) in (ReadOnlySpan<(string, FunctionKind)>)[("name(", FunctionKind.Name), ("scope(", FunctionKind.Scope)])
        {
            if (written.StartsWith(prefix, StringComparison.Ordinal))
            {
                if (written[^1] != ')')
                {
                    return $"'{written}' is missing its closing ')'";
                }

                function = kind;
                inner = written[prefix.Length..^1].Trim();
                break;
            }
        }

        var dot = inner.IndexOf('.', StringComparison.Ordinal);
        var head = dot < 0 ? inner : inner[..dot];
        var rest = dot < 0 ? null : inner[(dot + 1)..];
        var source = head switch
        {
            "resource" => SourceKind.Resource,
            "subscription" => SourceKind.Subscription,
            "resourceGroup" => SourceKind.ResourceGroup,
            "count" => SourceKind.Count,
            "total" => SourceKind.Total,
            "match" => SourceKind.Match,
            "matches" => SourceKind.Matches,
            "observed" => SourceKind.Observed,
            "expected" => SourceKind.Expected,
            _ => (SourceKind?)null,
        };

        if (source is null)
        {
            var parameter = parameters.FirstOrDefault(p => string.Equals(p, inner, StringComparison.OrdinalIgnoreCase));
            if (parameter is not null && function == FunctionKind.None)
            {
                alternative = new Alternative(SourceKind.Parameter, function, null, null, parameter);
                return null;
            }

            var known = SourceNames.Concat(parameters).ToList();
            return $"unknown placeholder '{inner}'{Suggestions.DidYouMean(head, known)} (a message shows {string.Join(", ", Sources)}, 'text', name(…), scope(…) or a parameter of the pack{(parameters.Count == 0 ? string.Empty : ": " + string.Join(", ", parameters.Order(StringComparer.OrdinalIgnoreCase)))})";
        }

        FieldPath? path = null;
        if (rest is not null)
        {
            if (source is not (SourceKind.Resource or SourceKind.Match or SourceKind.Matches))
            {
                return $"'{head}' takes no path ('{inner}'): only resource, match and matches do";
            }

            if (!FieldPath.TryParse(rest, out path, out var pathError))
            {
                return $"'{rest}' in '{inner}' is not a path: {pathError}";
            }
        }

        alternative = new Alternative(source.Value, function, path, null, null);
        return null;
    }

    /// <summary>The '}' closing a placeholder that starts after <paramref name="start"/>, skipping quoted text and [ ] in paths.</summary>
    private static int ClosingBrace(string text, int start)
    {
        var quoted = false;
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '[')
            {
                depth++;
            }
            else if (!quoted && c == ']')
            {
                depth--;
            }
            else if (!quoted && depth <= 0 && c == '}')
            {
                return i;
            }
            else if (!quoted && depth <= 0 && c == '{')
            {
                return -1;
            }
        }

        return -1;
    }

    private static IEnumerable<string> SplitAlternatives(string inner)
    {
        var quoted = false;
        var depth = 0;
        var start = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '[' or '(')
            {
                depth++;
            }
            else if (!quoted && c is ']' or ')')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == '|')
            {
                yield return inner[start..i];
                start = i + 1;
            }
        }

        yield return inner[start..];
    }

    private enum SourceKind
    {
        Literal,
        Parameter,
        Resource,
        Subscription,
        ResourceGroup,
        Count,
        Total,
        Match,
        Matches,
        Observed,
        Expected,
    }

    private enum FunctionKind
    {
        None,
        Name,
        Scope,
    }

    private abstract record Part;

    private sealed record Literal(string Text) : Part;

    private sealed record Placeholder(IReadOnlyList<Alternative> Alternatives) : Part;

    private sealed record Alternative(SourceKind Source, FunctionKind Function, FieldPath? Path, string? Literal, string? Parameter);
}
