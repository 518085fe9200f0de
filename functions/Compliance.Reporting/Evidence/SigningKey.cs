using System.Security.Cryptography;
using System.Text;

namespace Compliance.Reporting.Evidence;

/// <summary>The evidence-signing key: the UTF-8 bytes of a secret text of at least 16 characters.</summary>
public sealed class SigningKey
{
    public const int MinimumLength = 16;

    private readonly byte[] _key;

    public SigningKey(byte[] key)
    {
        if (key.Length < MinimumLength)
        {
            throw new EvidenceException($"the signing key is too short ({key.Length} bytes): use at least {MinimumLength} random characters, e.g. the output of 'openssl rand -base64 32'");
        }

        _key = key.ToArray();
        KeyId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(_key))[..16];
    }

    /// <summary>Identifies the key without revealing it: the first 64 bits of its SHA-256.</summary>
    public string KeyId { get; }

    public static SigningKey FromText(string text) => new(Encoding.UTF8.GetBytes(text.Trim()));

    /// <summary>
    /// The key configured locally: <see cref="EvidenceOptions.SigningKeyFile"/>, else the environment
    /// variable; null when neither is set.
    /// </summary>
    public static SigningKey? Load(EvidenceOptions options, Func<string, string?> environment)
    {
        if (options.SigningKeyFile is { } file)
        {
            try
            {
                return FromText(File.ReadAllText(file));
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                throw new EvidenceException($"cannot read the signing key file {file}: {ex.Message}", ex);
            }
        }

        return environment(options.SigningKeyEnvironmentVariable) is { Length: > 0 } text ? FromText(text) : null;
    }

    public byte[] Sign(byte[] data) => HMACSHA256.HashData(_key, data);

    public bool Verify(byte[] data, byte[] signature) => CryptographicOperations.FixedTimeEquals(Sign(data), signature);
}
