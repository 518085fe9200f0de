using System.Text.Json;

namespace Compliance.Core.Tests.GroundTruth;

/// <summary>rules/facts/well-known-ids.json as the tests read it.</summary>
internal sealed class WellKnownIdTable
{
    private WellKnownIdTable(IReadOnlyList<Entry> ids, IReadOnlyList<Entry> unsourced, IReadOnlyList<BadVariant> knownBad)
    {
        Ids = ids;
        Unsourced = unsourced;
        KnownBad = knownBad;
        AllIds = ids.Concat(unsourced).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Ids with a Microsoft source: the only ones packs and generators may use.</summary>
    public IReadOnlyList<Entry> Ids { get; }

    /// <summary>Ids confirmed only by non-Microsoft sources: known, so that their near misses are caught.</summary>
    public IReadOnlyList<Entry> Unsourced { get; }

    public IReadOnlyList<BadVariant> KnownBad { get; }

    public IReadOnlySet<string> AllIds { get; }

    public static WellKnownIdTable Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        return new WellKnownIdTable(
            Entries(root.GetProperty("ids")),
            Entries(root.GetProperty("withoutMicrosoftSource").GetProperty("ids")),
            root.GetProperty("knownBadVariants").EnumerateArray()
                .Select(b => new BadVariant(b.GetProperty("id").GetString()!, b.GetProperty("looksLike").GetString()!, b.GetProperty("correctId").GetString()!))
                .ToList());
    }

    public Entry? Find(string id) => Ids.FirstOrDefault(e => e.Id == id);

    public string IdOf(string kind, string name) => Ids.Single(e => e.Kind == kind && e.Name == name).Id;

    /// <summary>
    /// The well-known id a GUID is one or two hex digits away from, when it is not that id: the
    /// mark of a typo (Owner's 443c written 443d). Patterned GUIDs (mostly zeros or repeated digits,
    /// as in test data and in Microsoft's own app ids) are never taken for a near miss.
    /// </summary>
    public Entry? NearMiss(string guid)
    {
        var digits = guid.Replace("-", string.Empty, StringComparison.Ordinal);
        if (digits.Length != 32 || digits.Distinct().Count() < 8)
        {
            return null;
        }

        foreach (var entry in Ids.Concat(Unsourced))
        {
            var other = entry.Id.Replace("-", string.Empty, StringComparison.Ordinal);
            var differences = 0;
            for (var i = 0; i < 32 && differences <= 2; i++)
            {
                if (digits[i] != other[i])
                {
                    differences++;
                }
            }

            if (differences is > 0 and <= 2)
            {
                return entry;
            }
        }

        return null;
    }

    private static List<Entry> Entries(JsonElement array) =>
        array.EnumerateArray()
            .Select(e => new Entry(
                e.GetProperty("id").GetString()!,
                e.GetProperty("name").GetString()!,
                e.GetProperty("kind").GetString()!,
                e.TryGetProperty("source", out var s) ? s.GetString() : null,
                e.TryGetProperty("formerly", out var f) ? f.GetString() : null))
            .ToList();

    internal sealed record Entry(string Id, string Name, string Kind, string? Source, string? Formerly);

    internal sealed record BadVariant(string Id, string LooksLike, string CorrectId);
}
