using System.Text.Json;

namespace Compliance.Core.Snapshots;

/// <summary>
/// One resource of a snapshot, in the exact JSON shape the Azure or Graph API returned, with the
/// fields the engine needs read out once. Owns its parsed document: dispose it when done.
/// </summary>
public sealed class SnapshotResource : IDisposable
{
    private readonly JsonDocument _document;

    internal SnapshotResource(JsonDocument document, string id, string type, string name, string? location, long line)
    {
        _document = document;
        Id = id;
        Type = type;
        Name = name;
        Location = location;
        Line = line;
        SubscriptionId = ResourceIds.SubscriptionOf(id);
        IsGraphObject = type.StartsWith(ResourceIds.GraphTypePrefix, StringComparison.OrdinalIgnoreCase);
    }

    public string Id { get; }

    public string Type { get; }

    public string Name { get; }

    public string? Location { get; }

    /// <summary>The subscription named by the id ("/subscriptions/{id}/…"), if any.</summary>
    public string? SubscriptionId { get; }

    /// <summary>Whether the resource is a Microsoft Graph (Entra ID) object rather than an ARM resource.</summary>
    public bool IsGraphObject { get; }

    /// <summary>1-based line of the snapshot where the resource starts.</summary>
    public long Line { get; }

    public JsonElement Json => _document.RootElement;

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

    public void Dispose() => _document.Dispose();

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
