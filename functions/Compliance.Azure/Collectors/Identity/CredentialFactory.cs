using Azure.Core;
using Azure.Identity;
using Compliance.Azure.Collectors.Clouds;

namespace Compliance.Azure.Collectors.Identity;

/// <summary>
/// Builds the production credentials named by <see cref="AzureConnectionOptions.Credential"/>, for the
/// chosen cloud: the app's own (storage, Key Vault, telemetry — in the app's home tenant) and the one
/// the collectors scan with. They are one and the same except for "federated", where the app's own is
/// the managed identity and the scan signs in to the other tenant as the multitenant app. With a tenant
/// configured, every token the scan credential hands out must be for that tenant
/// (<see cref="TenantCheckedCredential"/>): a run never records a tenant it could not sign in to.
/// </summary>
internal static class CredentialFactory
{
    public const string Federated = "federated";

    public static readonly IReadOnlyList<string> Kinds = ["default", "cli", "environment", "managedidentity", "workloadidentity", Federated];

    public static bool IsFederated(AzureConnectionOptions options) =>
        string.Equals(options.Credential.Trim(), Federated, StringComparison.OrdinalIgnoreCase);

    /// <summary>The app's own credential (with "federated": its managed identity, in its home tenant).</summary>
    public static TokenCredential Create(AzureConnectionOptions options, AzureCloud cloud)
    {
        var tenant = string.IsNullOrWhiteSpace(options.TenantId) ? null : options.TenantId.Trim();
        if (IsFederated(options))
        {
            return ManagedIdentity(options);
        }

        var credential = CreateUnchecked(options, cloud, tenant);
        return tenant is null ? credential : new TenantCheckedCredential(credential, tenant);
    }

    /// <summary>The credential the collectors scan with: <paramref name="own"/>, or with "federated" the multitenant app signed in to the tenant to scan.</summary>
    public static TokenCredential CreateScan(AzureConnectionOptions options, AzureCloud cloud, TokenCredential own)
    {
        if (!IsFederated(options))
        {
            return own;
        }

        var tenant = string.IsNullOrWhiteSpace(options.TenantId)
            ? throw new CollectorConfigurationException("Credential 'federated' needs the tenant to scan in Collectors:Azure:TenantId.")
            : options.TenantId.Trim();
        var appClientId = string.IsNullOrWhiteSpace(options.ClientId)
            ? throw new CollectorConfigurationException("Credential 'federated' needs the client id of the multitenant app registration that trusts the managed identity, in Collectors:Azure:ClientId.")
            : options.ClientId.Trim();
        return new TenantCheckedCredential(CreateFederated(tenant, appClientId, own, cloud), tenant);
    }

    private static ManagedIdentityCredential ManagedIdentity(AzureConnectionOptions options) =>
        new(new ManagedIdentityCredentialOptions(string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId)));

    /// <summary>
    /// The documented cross-tenant path without secrets (Microsoft Learn, Entra Workload ID: "Configure
    /// an application to trust a managed identity"): a multitenant app registration, consented in the
    /// tenant to scan, holds a federated identity credential whose subject is the managed identity; the
    /// managed identity's token for the token-exchange audience is the client assertion with which the app
    /// signs in to that tenant.
    /// </summary>
    /// <param name="tenantId">The tenant to scan, where the app is consented.</param>
    /// <param name="appClientId">The multitenant app registration's client id.</param>
    /// <param name="assertionSource">The managed identity whose tokens serve as the assertion.</param>
    /// <param name="cloud">The cloud: its sign-in endpoint and token-exchange audience.</param>
    /// <param name="options">Transport and retry options (tests route them to a loopback token endpoint).</param>
    public static TokenCredential CreateFederated(string tenantId, string appClientId, TokenCredential assertionSource, AzureCloud cloud, ClientAssertionCredentialOptions? options = null)
    {
        var scope = cloud.TokenExchangeAudience + "/.default";
        var credentialOptions = options ?? new ClientAssertionCredentialOptions();
        credentialOptions.AuthorityHost = cloud.AuthorityHost;
        return new ClientAssertionCredential(
            tenantId,
            appClientId,
            async cancellationToken => (await assertionSource.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false)).Token,
            credentialOptions);
    }

    private static TokenCredential CreateUnchecked(AzureConnectionOptions options, AzureCloud cloud, string? tenant)
    {
        var clientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId;
        return options.Credential.Trim().ToLowerInvariant() switch
        {
            "default" => new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                AuthorityHost = cloud.AuthorityHost,
                TenantId = tenant,
                ManagedIdentityClientId = clientId,
            }),
            "cli" => new AzureCliCredential(new AzureCliCredentialOptions { AuthorityHost = cloud.AuthorityHost, TenantId = tenant }),
            "environment" => new EnvironmentCredential(new EnvironmentCredentialOptions { AuthorityHost = cloud.AuthorityHost }),
            "managedidentity" => new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(
                clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            {
                AuthorityHost = cloud.AuthorityHost,
            }),
            "workloadidentity" => new WorkloadIdentityCredential(new WorkloadIdentityCredentialOptions { AuthorityHost = cloud.AuthorityHost, TenantId = tenant }),
            var other => throw new CollectorConfigurationException(
                $"Unknown credential '{other}' (Collectors:Azure:Credential / --credential): use one of {string.Join(", ", Kinds)}."),
        };
    }
}
