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

    /// <summary>
    /// The service's error code from a { "error": { "code" } } body when it is a plain identifier (letters,
    /// digits, '.', '_', '-'; at most 64): the one part of an error body safe to record, since the rest may
    /// quote the request (a signed URL, a token).
    /// </summary>
    public static string? PlainCode(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body.Length > 64 * 1024)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && code.GetString() is { Length: > 0 and <= 64 } text && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
                    ? text
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One line of at most 300 characters, without URL query strings or credential parameters (a service may echo a signed URL).</summary>
    public static string Shorten(string text)
    {
        var oneLine = Secrets.SecretRedactor.Redact(text.ReplaceLineEndings(" ").Trim());
        return oneLine.Length <= MaxDetail ? oneLine : oneLine[..MaxDetail] + "…";
    }
}
