using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Secrets;

/// <summary>Composition of the secret source.</summary>
internal static class SecretsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISecretSource"/>: Key Vault when "Secrets:VaultUri" is set (through a
    /// <see cref="SecretClient"/> — one registered by the host is used as it is — with the registered
    /// <see cref="TokenCredential"/>, else <see cref="DefaultAzureCredential"/>), the configuration otherwise.
    /// Options are validated at start-up.
    /// </summary>
    internal static IServiceCollection AddComplianceSecrets(this IServiceCollection services)
    {
        services.AddOptions<SecretOptions>()
            .BindConfiguration(SecretOptions.Section)
            .Validate(o => o.VaultUri is null || (o.VaultUri.IsAbsoluteUri && o.VaultUri.Scheme == Uri.UriSchemeHttps), "Secrets:VaultUri must be the vault's https URI, e.g. https://kv-compliance.vault.azure.net/")
            .Validate(o => o.RefreshInterval > TimeSpan.Zero, "Secrets:RefreshInterval must be positive")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var uri = sp.GetRequiredService<IOptions<SecretOptions>>().Value.VaultUri
                ?? throw new InvalidOperationException("Secrets:VaultUri is not set: there is no Key Vault to read");
            return new SecretClient(uri, sp.GetService<TokenCredential>() ?? new DefaultAzureCredential());
        });
        services.TryAddSingleton<ISecretSource>(sp => sp.GetRequiredService<IOptions<SecretOptions>>().Value.VaultUri is null
            ? ActivatorUtilities.CreateInstance<ConfigurationSecretSource>(sp)
            : ActivatorUtilities.CreateInstance<KeyVaultSecretSource>(sp));
        return services;
    }
}
