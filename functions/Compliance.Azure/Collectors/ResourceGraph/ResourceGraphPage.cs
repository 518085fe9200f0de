using System.Text.Json;
using Compliance.Azure.Collectors.Http;

namespace Compliance.Azure.Collectors.ResourceGraph;

/// <summary>One page of a Resource Graph query ({ totalRecords, count, data: [...], $skipToken, resultTruncated }). Owns its parsed document.</summary>
internal sealed class ResourceGraphPage : IDisposable
{
    private readonly JsonDocument _document;

    private ResourceGraphPage(JsonDocument document, JsonElement rows, string? skipToken, int number)
    {
        _document = document;
        Rows = rows;
        SkipToken = skipToken;
        Number = number;
    }

    /// <summary>The rows (objectArray format): resources in the shape Resource Graph returns them.</summary>
    public JsonElement Rows { get; }

    public int Count => Rows.GetArrayLength();

    public string? SkipToken { get; }

    public int Number { get; }

    public static ResourceGraphPage Parse(BinaryData content, int number)
    {
        var document = JsonDocument.Parse(content.ToStream());
        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"page {number} has no 'data' array (the objectArray result format)");
            }

            foreach (var row in data.EnumerateArray())
            {
                JsonCall.RequireIdAndType(row, $"page {number}");
            }

            var skipToken = root.TryGetProperty("$skipToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString()!.Length > 0
                ? token.GetString()
                : null;
            if (skipToken is null && IsTrue(root, "resultTruncated"))
            {
                // Without a skip token a truncated result cannot be completed: reading on would report a partial scope as whole.
                throw new InvalidDataException($"page {number} is truncated (resultTruncated) and has no $skipToken to read the rest");
            }

            return new ResourceGraphPage(document, data, skipToken, number);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public void Dispose() => _document.Dispose();

    private static bool IsTrue(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) &&
        (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase)));
}
