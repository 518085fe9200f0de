using System.Text.RegularExpressions;

namespace Compliance.Azure.Secrets;

/// <summary>
/// Takes out of a sentence what must never be recorded or logged: the query string of every URL
/// in it (a Teams Workflows URL carries its signature there: <c>sig=…</c>; a SAS URL its token), any
/// <c>sig=</c>/<c>code=</c>/<c>sv=</c>-style credential parameter left standing on its own, and the
/// secret values given (in plain and URL-encoded form). Used on every error and log line built from
/// text that came from outside (a response, an exception, a configured URL).
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What stands in place of what was taken out.</summary>
    public const string Mask = "[redacted]";

    /// <summary>The sentence without URL query strings, credential parameters or the given secret values.</summary>
    public static string Redact(string? text, params ReadOnlySpan<string?> secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var redacted = text;
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret) || secret.Length < 4)
            {
                continue;
            }

            redacted = redacted.Replace(secret, Mask, StringComparison.Ordinal);
            var encoded = Uri.EscapeDataString(secret);
            if (encoded != secret)
            {
                redacted = redacted.Replace(encoded, Mask, StringComparison.OrdinalIgnoreCase);
            }
        }

        redacted = UrlQuery().Replace(redacted, m => m.Groups["url"].Value + "?" + Mask);
        return CredentialParameter().Replace(redacted, m => m.Groups["name"].Value + "=" + Mask);
    }

    /// <summary>A URL (absolute, any scheme) followed by its query string: the query goes, the scheme, host and path stay.</summary>
    [GeneratedRegex(@"(?<url>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s?#""'<>]*)\?[^\s#""'<>]*", RegexOptions.CultureInvariant)]
    private static partial Regex UrlQuery();

    /// <summary>
    /// Parameters that carry credentials wherever they appear (also HTML-escaped or outside a URL):
    /// Logic Apps / Workflows signatures (sig), function keys (code), SAS tokens (sig, se, sp, sv, skoid…).
    /// </summary>
    [GeneratedRegex(@"(?<name>\b(?:sig|code|sv|se|sp|skoid|sktid|skt|ske|sks|skv|sr|st|spr|srt|ss|token|access_token|client_secret|password))=(?!\[redacted\])[^\s&""'<>]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CredentialParameter();
}
