namespace Compliance.Azure.Secrets;

/// <summary>
/// Where the app's secrets (the Teams webhook URL, the evidence-signing key) come from: Key Vault in
/// Azure, the configuration for local development. Values are never logged nor written anywhere.
/// </summary>
public interface ISecretSource
{
    /// <summary>Where the secrets are read, for messages: "Key Vault https://kv-compliance.vault.azure.net/".</summary>
    string Description { get; }

    /// <summary>
    /// The current value of the secret <paramref name="name"/>. Throws <see cref="SecretUnavailableException"/>,
    /// naming the source and the secret (never its value), when it cannot be read.
    /// </summary>
    Task<string> GetSecretAsync(string name, CancellationToken cancellationToken);
}
