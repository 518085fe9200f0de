using System.Text.Json;

namespace Compliance.Core.Snapshots;

/// <summary>
/// One resource of a snapshot, in the exact JSON shape the Azure or Graph API returned, with the
/// fields the engine needs read out once. Owns its parsed document: dispose it when done.
/// </summary>
public sealed class SnapshotResource : IDisposable
{
    private static readonly JsonElement EmptyObject = JsonElement.Parse("{}");

    private JsonDocument? _document;
    private JsonElement _json;

    // Once reduced: the kept JSON as UTF-8, parsed again when read (rarely, and far smaller in memory).
    private byte[]? _reduced;

    internal SnapshotResource(JsonDocument document, string id, string type, string name, string? location, long line)
        : this(document.RootElement, id, type, name, location, line)
    {
        _document = document;
    }

    public string Id { get; }

    /// <summary>The id in lower case, computed once (finding ids are case-insensitive in the resource id).</summary>
    internal byte[] IdKey => _idKey ??= System.Text.Encoding.UTF8.GetBytes(Id.ToLowerInvariant());

    private byte[]? _idKey;

    public string Type { get; private set; }

    public string Name => _name ?? ResourceIds.LastSegment(Id);

    // Null when the name is the id's last segment (as ARM names are), so kept resources need not hold it twice.
    private string? _name;

    public string? Location { get; private set; }

    /// <summary>The subscription named by the id ("/subscriptions/{id}/…"), if any.</summary>
    public string? SubscriptionId { get; private set; }

    /// <summary>Whether the resource is a Microsoft Graph (Entra ID) object rather than an ARM resource.</summary>
    public bool IsGraphObject { get; }

    /// <summary>1-based line of the snapshot where the resource starts.</summary>
    public long Line { get; }

    /// <summary>A parsed copy of the reduced JSON while the related index keeps it among the recently read.</summary>
    internal JsonElement? Parsed { get; set; }

    /// <summary>Where the resource's JSON starts in the snapshot stream, in bytes.</summary>
    internal long Offset { get; set; }

    /// <summary>The length of the resource's JSON in bytes.</summary>
    internal int Length { get; set; }

    public JsonElement Json
    {
        get
        {
            if (_reduced is null)
            {
                return _json;
            }

            var reader = new Utf8JsonReader(_reduced);
            return JsonElement.ParseValue(ref reader);
        }
    }

    /// <summary>
    /// A resource kept by the related index, read back from where it was kept: its id, type, name (null
    /// when it is the id's last segment) and location, and only the parts of its JSON the rules read (null: none).
    /// </summary>
    internal SnapshotResource(string id, string type, string? name, string? location, long line, byte[]? reduced)
        : this(EmptyObject, id, type, name, location, line)
    {
        _reduced = reduced;
    }

    private SnapshotResource(JsonElement json, string id, string type, string? name, string? location, long line)
    {
        _json = json;
        Id = id;
        Type = type;
        _name = name;
        Location = location;
        Line = line;
        SubscriptionId = ResourceIds.SubscriptionOf(id);
        IsGraphObject = ResourceIds.IsGraphType(type);
    }

    /// <summary>Builds a resource from JSON text (fixtures, tests); the same checks as the snapshot reader.</summary>
    public static SnapshotResource Parse(string json, string source = "resource")
    {
        var document = JsonDocument.Parse(json);
        try
        {
            return FromDocument(document, source, 1);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    internal static SnapshotResource FromDocument(JsonDocument document, string source, long line)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SnapshotFormatException(source, line, 1, "$.resources[]", $"a resource must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
        }

        var id = RequiredString(root, "id", source, line);
        var type = RequiredString(root, "type", source, line);
        var name = OptionalString(root, "name")
            ?? OptionalString(root, "userPrincipalName")
            ?? OptionalString(root, "displayName")
            ?? ResourceIds.LastSegment(id);
        return new SnapshotResource(document, id, type, name, OptionalString(root, "location"), line);
    }

    /// <summary>
    /// Replaces the JSON with a reduced, self-contained copy and shares repeated strings, for resources
    /// kept in memory until the end of a scan.
    /// </summary>
    internal void Reduce(Func<JsonElement, byte[]?> reduce, HashSet<string> strings)
    {
        Type = Share(strings, Type)!;
        Location = Share(strings, Location);
        if (_name is not null && ResourceIds.LastSegmentEquals(Id, _name))
        {
            _name = null;
        }
        SubscriptionId = Share(strings, SubscriptionId);
        var reduced = reduce(_json);
        _document?.Dispose();
        _document = null;
        _json = EmptyObject;
        _reduced = reduced;
    }

    private static string? Share(HashSet<string> strings, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        strings.Add(value);
        return value;
    }

    public void Dispose()
    {
        _document?.Dispose();
        _document = null;
    }

    public override string ToString() => $"{Type} {Id}";

    private static string RequiredString(JsonElement root, string property, string source, long line)
    {
        if (root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0)
        {
            return value.GetString()!;
        }

        var hint = root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? $" (resource '{id.GetString()}')" : string.Empty;
        throw new SnapshotFormatException(source, line, 1, $"$.resources[].{property}", $"a resource needs a non-empty string '{property}'{hint}");
    }

    private static string? OptionalString(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
