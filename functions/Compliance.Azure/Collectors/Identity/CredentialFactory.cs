using Azure.Core;
using Azure.Identity;
using Compliance.Azure.Collectors.Clouds;

namespace Compliance.Azure.Collectors.Identity;

/// <summary>Builds the production credential named by <see cref="AzureConnectionOptions.Credential"/>, for the chosen cloud.</summary>
internal static class CredentialFactory
{
    public static readonly IReadOnlyList<string> Kinds = ["default", "cli", "environment", "managedidentity", "workloadidentity"];

    public static TokenCredential Create(AzureConnectionOptions options, AzureCloud cloud)
    {
        var tenant = string.IsNullOrWhiteSpace(options.TenantId) ? null : options.TenantId;
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
