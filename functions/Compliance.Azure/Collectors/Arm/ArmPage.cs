using System.Text.Json;
using Compliance.Azure.Collectors.Http;

namespace Compliance.Azure.Collectors.Arm;

/// <summary>One page of an ARM list ({ value: [...], nextLink }) or a single resource. Owns its parsed document.</summary>
internal sealed class ArmPage : IDisposable
{
    private readonly JsonDocument _document;

    private ArmPage(JsonDocument document, IReadOnlyList<JsonElement> items, Uri? nextLink)
    {
        _document = document;
        Items = items;
        NextLink = nextLink;
    }

    public IReadOnlyList<JsonElement> Items { get; }

    public Uri? NextLink { get; }

    /// <summary>Parses a page; a nextLink must stay on <paramref name="host"/> (the bearer token goes with it).</summary>
    public static ArmPage Parse(BinaryData content, Uri host, string what, bool typeRequired)
    {
        var document = JsonDocument.Parse(content.ToStream());
        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{what}: the answer is not a JSON object");
            }

            List<JsonElement> items;
            if (root.TryGetProperty("value", out var value))
            {
                if (value.ValueKind != JsonValueKind.Array)
                {
                    throw new InvalidDataException($"{what}: 'value' is not an array");
                }

                items = [.. value.EnumerateArray()];
            }
            else if (root.TryGetProperty("id", out _))
            {
                // Some child endpoints answer with the one resource rather than a list.
                items = [root];
            }
            else
            {
                throw new InvalidDataException($"{what}: neither a list ('value') nor a resource ('id')");
            }

            foreach (var item in items)
            {
                JsonCall.RequireIdAndType(item, what, typeRequired);
            }

            Uri? next = null;
            if (root.TryGetProperty("nextLink", out var link) && link.ValueKind == JsonValueKind.String && link.GetString() is { Length: > 0 } text)
            {
                if (!Uri.TryCreate(text, UriKind.Absolute, out next) || next.Scheme != Uri.UriSchemeHttps ||
                    !string.Equals(next.Authority, host.Authority, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"{what}: nextLink '{ErrorBody.Shorten(text)}' does not point to {host.Authority}");
                }
            }

            return new ArmPage(document, items, next);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public void Dispose() => _document.Dispose();
}
