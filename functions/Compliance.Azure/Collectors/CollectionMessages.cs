using Compliance.Azure.Collectors.Graph;
using Compliance.Azure.Collectors.Http;

namespace Compliance.Azure.Collectors;

/// <summary>The catalogue of scope errors: each says what failed, where, and what a person can do about it.</summary>
internal static class CollectionMessages
{
    public static string Subscription(string subscriptionId, string? displayName) =>
        displayName is null ? $"subscription {subscriptionId}" : $"subscription '{displayName}' ({subscriptionId})";

    public static string NotVisible(string subscriptionId) =>
        $"subscription {subscriptionId} is not visible to the scanner's identity: assign it Reader on the subscription (or on its management group), or check the subscription id";

    /// <summary>A Resource Graph or ARM failure for a subscription.</summary>
    public static string SubscriptionFailed(string subscription, string what, AzureCallException failure) => failure switch
    {
        { Kind: FailureKind.Status, Status: 403 } =>
            $"403 on {subscription}: the scanner's identity needs Reader on it (or on its management group) to read {what} ({Code(failure)}{failure.Detail})",
        { Kind: FailureKind.Status, Status: 401 } =>
            $"401 on {subscription} reading {what}: the token was rejected; check the tenant (--tenant) and the cloud (--cloud) ({Code(failure)}{failure.Detail})",
        { Kind: FailureKind.Status, Status: 429 } =>
            $"{subscription}: {what} stayed throttled ({failure.Message}); run the collection again later or with fewer parallel queries",
        { Kind: FailureKind.Status, Status: >= 500 } or { Kind: FailureKind.Timeout or FailureKind.Network } =>
            $"{subscription}: reading {what} failed: {failure.Message}; try again later",
        _ => $"{subscription}: reading {what} failed: {failure.Message}",
    };

    public static string GraphFailed(GraphDataset dataset, int status, string? code, string detail) => status switch
    {
        403 when code == "Authentication_RequestFromNonPremiumTenantOrB2CTenant" =>
            $"Graph 403 reading {dataset.Collection}: the tenant needs a Microsoft Entra ID P1 or P2 licence for this data ({code}: {detail})",
        403 => $"Graph 403 reading {dataset.Collection}: grant application permission {dataset.Permission} ({Code(code)}{detail})",
        401 => $"Graph 401 reading {dataset.Collection}: the token was rejected; check the tenant (--tenant) and the cloud (--cloud) ({Code(code)}{detail})",
        _ => $"Graph {status} reading {dataset.Collection}: {Code(code)}{detail}",
    };

    public static string GraphFailed(GraphDataset dataset, string detail) => $"Graph: reading {dataset.Collection} failed: {detail}";

    public static string UnsupportedGraphType(string type) =>
        $"the loaded rules need {type}, which the collector cannot read from Microsoft Graph (it reads {string.Join(", ", GraphDataset.All.Select(d => d.Type))})";

    public static string NoCredential(string service, string detail) =>
        $"No usable Azure credential for {service} ({ErrorBody.Shorten(detail)}). Configure one of: " +
        "'az login' (Azure CLI, --credential cli); AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH " +
        "for a service principal (--credential environment); a managed identity when running in Azure (--credential managedidentity, " +
        "AZURE_CLIENT_ID for a user-assigned one). For US Government or China also pass --cloud usgov|china.";

    private static string Code(AzureCallException failure) => Code(failure.ErrorCode);

    private static string Code(string? code) => code is null ? string.Empty : code + ": ";
}
