using Microsoft.Extensions.Options;

namespace Compliance.Azure.Secrets;

/// <summary>Secrets from the configuration ("Secrets:Local:{name}"): for local development without a Key Vault.</summary>
public sealed class ConfigurationSecretSource(IOptions<SecretOptions> options) : ISecretSource
{
    public string Description => "the configuration (Secrets:Local)";

    public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken) =>
        options.Value.Local.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? Task.FromResult(value)
            : throw new SecretUnavailableException(
                $"secret '{name}' is not in {Description}: set Secrets:VaultUri to read it from Key Vault, or Secrets:Local:{name} for a local run");
}
