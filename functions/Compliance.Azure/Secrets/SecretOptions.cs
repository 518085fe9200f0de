namespace Compliance.Azure.Secrets;

/// <summary>Where secrets are read (section "Secrets").</summary>
public sealed class SecretOptions
{
    public const string Section = "Secrets";

    /// <summary>
    /// The Key Vault holding the secrets ("https://kv-compliance.vault.azure.net/"), read with the
    /// app's identity. Empty: secrets come from <see cref="Local"/> (local development only).
    /// </summary>
    public Uri? VaultUri { get; set; }

    /// <summary>How long a value read from Key Vault is used before it is read again (a rotated secret is picked up after at most this long).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Secret name → value, used only without <see cref="VaultUri"/>: for local runs, never in Azure.</summary>
    public Dictionary<string, string> Local { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
