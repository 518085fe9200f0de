using Azure.Core;
using Azure.Identity;
using Compliance.Azure.Collectors.Clouds;

namespace Compliance.Azure.Collectors.Identity;

/// <summary>
/// Builds the production credential named by <see cref="AzureConnectionOptions.Credential"/>, for the
/// chosen cloud. With a tenant configured, every token it hands out must be for that tenant
/// (<see cref="TenantCheckedCredential"/>): a run never records a tenant it could not sign in to.
/// </summary>
internal static class CredentialFactory
{
    public const string Federated = "federated";

    public static readonly IReadOnlyList<string> Kinds = ["default", "cli", "environment", "managedidentity", "workloadidentity", Federated];

    public static TokenCredential Create(AzureConnectionOptions options, AzureCloud cloud)
    {
        var tenant = string.IsNullOrWhiteSpace(options.TenantId) ? null : options.TenantId.Trim();
        var credential = CreateUnchecked(options, cloud, tenant);
        return tenant is null ? credential : new TenantCheckedCredential(credential, tenant);
    }

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
            Federated => CreateFederated(
                tenant ?? throw new CollectorConfigurationException("Credential 'federated' needs the tenant to scan in Collectors:Azure:TenantId."),
                string.IsNullOrWhiteSpace(options.ClientId)
                    ? throw new CollectorConfigurationException("Credential 'federated' needs the client id of the multitenant app registration that trusts the managed identity, in Collectors:Azure:ClientId.")
                    : options.ClientId.Trim(),
                new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(
                    clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))),
                cloud),
            var other => throw new CollectorConfigurationException(
                $"Unknown credential '{other}' (Collectors:Azure:Credential / --credential): use one of {string.Join(", ", Kinds)}."),
        };
    }
}
