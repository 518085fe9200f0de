using System.Text.Json;

namespace Compliance.Azure.Collectors.Http;

/// <summary>Reads the { "error": { "code", "message" } } body that ARM, Resource Graph and Graph return with an error status.</summary>
internal static class ErrorBody
{
    private const int MaxDetail = 300;

    public static (string? Code, string Message) Parse(ReadOnlySpan<byte> body, string reasonPhrase)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return (code, Shorten(message ?? reasonPhrase));
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the status text.
        }

        return (null, string.IsNullOrEmpty(reasonPhrase) ? "no details" : reasonPhrase);
    }

    /// <summary>One line of at most 300 characters, without URL query strings or credential parameters (a service may echo a signed URL).</summary>
    public static string Shorten(string text)
    {
        var oneLine = Secrets.SecretRedactor.Redact(text.ReplaceLineEndings(" ").Trim());
        return oneLine.Length <= MaxDetail ? oneLine : oneLine[..MaxDetail] + "…";
    }
}
