namespace Compliance.Reporting.Evidence;

/// <summary>
/// HMAC-SHA256 (base64) over the UTF-8 bytes of the manifest as written without its signature;
/// <paramref name="KeyId"/> tells which key (a hash prefix of it, never the key).
/// </summary>
public sealed record ManifestSignature(string Algorithm, string KeyId, string Value)
{
    public const string HmacSha256 = "HMAC-SHA256";
}
