using System.Text.Json;
using Compliance.Core.Rules;

namespace Compliance.Core.Conditions;

/// <summary>
/// What a failing finding's evidence offers its message: the first count (or related count) that did
/// not hold — how many matched, of how many, and the first matches with the values the template reads
/// from them. Filled while the evidence is explained; values are read as text at once, because the
/// elements' JSON is valid only during the evaluation.
/// </summary>
internal sealed class MessageFacts
{
    private IReadOnlyList<FieldPath> _paths = [];

    public long? Count { get; private set; }

    public long? Total { get; private set; }

    public List<Match> Matches { get; } = [];

    public void Reset(MessageTemplate template)
    {
        _paths = template.MatchPaths;
        Count = null;
        Total = null;
        Matches.Clear();
    }

    /// <summary>Whether the deciding count is still to be recorded (only the first one is).</summary>
    public bool Open => Count is null;

    public void RecordCount(long count, long total)
    {
        Count = count;
        Total = total;
    }

    /// <summary>One match of the recorded count: an array element, a value of a value count, or a related resource.</summary>
    public void AddMatch(JsonElement value, string? name)
    {
        if (Matches.Count >= MessageTemplate.MatchesShown)
        {
            return;
        }

        var values = new Dictionary<FieldPath, List<string>>(_paths.Count);
        foreach (var path in _paths)
        {
            values[path] = value.ValueKind == JsonValueKind.Undefined ? [] : MessageTemplate.Texts(value, path);
        }

        var shown = name ?? (value.ValueKind == JsonValueKind.Object ? MessageTemplate.ObjectName(value) : string.Join(", ", MessageTemplate.Texts(value)));
        Matches.Add(new Match(shown, values));
    }

    public sealed record Match(string Shown, Dictionary<FieldPath, List<string>> Values);
}
