namespace Compliance.Azure.Collectors;

/// <summary>Which cloud and tenant the collectors read, and with which identity.</summary>
public sealed class AzureConnectionOptions
{
    public const string SectionName = "Collectors:Azure";

    /// <summary>public (default), usgov or china; login, ARM, Resource Graph and Graph endpoints follow it.</summary>
    public string Cloud { get; set; } = "public";

    /// <summary>
    /// The Entra ID tenant to sign in to and to read. Optional: when empty, the tenant of the
    /// credential's home is used and the snapshot's tenant id comes from the subscriptions or the directory.
    /// </summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// How to sign in: default (DefaultAzureCredential: environment, workload identity, managed
    /// identity, Azure CLI, …), cli (Azure CLI login), environment (AZURE_CLIENT_ID/SECRET or
    /// certificate), managedidentity, workloadidentity, federated (the managed identity signs in to another
    /// tenant as a multitenant app that trusts it: <see cref="ClientId"/>).
    /// </summary>
    public string Credential { get; set; } = "default";

    /// <summary>The client id of a user-assigned managed identity (optional).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// For credential "federated": the client id of the multitenant app registration that trusts the
    /// managed identity (a federated identity credential) and is consented in <see cref="TenantId"/>.
    /// </summary>
    public string? ClientId { get; set; }
}
