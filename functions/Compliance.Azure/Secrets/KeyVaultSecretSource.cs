using System.Collections.Concurrent;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Secrets;

/// <summary>
/// Secrets from Key Vault through <see cref="SecretClient"/> with the app's identity. A value is kept
/// for <see cref="SecretOptions.RefreshInterval"/> and then read again; when that read fails, the value
/// read before is used (and the failure logged) until the vault answers again.
/// </summary>
public sealed class KeyVaultSecretSource(SecretClient client, IOptions<SecretOptions> options, TimeProvider time, ILogger<KeyVaultSecretSource> logger) : ISecretSource
{
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public string Description => $"Key Vault {client.VaultUri}";

    public async Task<string> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        if (Fresh(name) is { } fresh)
        {
            return fresh;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(name) is { } other)
            {
                return other;
            }

            try
            {
                var secret = await client.GetSecretAsync(name, cancellationToken: cancellationToken);
                var value = secret.Value.Value ?? throw new SecretUnavailableException($"{Description}: secret '{name}' has no value");
                _cache[name] = new Cached(value, time.GetUtcNow());
                return value;
            }
            catch (Exception ex) when (ex is RequestFailedException or AuthenticationFailedException)
            {
                var message = Explain(name, ex);
                if (_cache.TryGetValue(name, out var stale))
                {
                    logger.LogWarning("Could not refresh a secret; the value read at {ReadAt:u} stays in use. {Reason}", stale.ReadAt, message);
                    return stale.Value;
                }

                throw new SecretUnavailableException(message, ex);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private string? Fresh(string name) =>
        _cache.TryGetValue(name, out var cached) && time.GetUtcNow() - cached.ReadAt < options.Value.RefreshInterval ? cached.Value : null;

    /// <summary>What went wrong and what to do, from the status alone: an error body is never copied into the message.</summary>
    private string Explain(string name, Exception ex)
    {
        var vaultName = client.VaultUri.Host.Split('.')[0];
        return ex switch
        {
            RequestFailedException { Status: 404 } =>
                $"{Description} has no secret '{name}' (404 SecretNotFound): create it (az keyvault secret set --vault-name {vaultName} --name {name} --file …) or change the secret name in the settings",
            RequestFailedException { Status: 401 or 403 } r =>
                $"{Description} denied the app's identity access to secret '{name}' ({r.Status} {r.ErrorCode ?? "Forbidden"}): assign the identity the 'Key Vault Secrets User' role on the vault (RBAC), or an access policy with 'get' on secrets, and check the vault's firewall",
            RequestFailedException r =>
                $"{Description} could not be read for secret '{name}' ({(r.Status == 0 ? "no answer" : r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))} {r.ErrorCode}): try again later",
            _ => $"{Description}: the app's identity could not sign in to read secret '{name}' ({ex.GetType().Name}): check the Function App's managed identity",
        };
    }

    private sealed record Cached(string Value, DateTimeOffset ReadAt);
}
