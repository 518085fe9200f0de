namespace Compliance.Azure.Collectors.Clouds;

/// <summary>
/// One Azure cloud: where tokens come from and where Azure Resource Manager, Resource Graph and
/// Microsoft Graph answer. Every endpoint the collectors call follows the chosen cloud.
/// </summary>
/// <param name="Name">The name used in configuration: public, usgov or china.</param>
/// <param name="AuthorityHost">The Entra ID (login) endpoint.</param>
/// <param name="ResourceManager">Azure Resource Manager; Resource Graph is served under it.</param>
/// <param name="MicrosoftGraph">Microsoft Graph (without the version segment).</param>
public sealed record AzureCloud(string Name, Uri AuthorityHost, Uri ResourceManager, Uri MicrosoftGraph)
{
    public static readonly AzureCloud Public = new(
        "public",
        new Uri("https://login.microsoftonline.com/"),
        new Uri("https://management.azure.com/"),
        new Uri("https://graph.microsoft.com/"));

    public static readonly AzureCloud UsGovernment = new(
        "usgov",
        new Uri("https://login.microsoftonline.us/"),
        new Uri("https://management.usgovcloudapi.net/"),
        new Uri("https://graph.microsoft.us/"));

    public static readonly AzureCloud China = new(
        "china",
        new Uri("https://login.chinacloudapi.cn/"),
        new Uri("https://management.chinacloudapi.cn/"),
        new Uri("https://microsoftgraph.chinacloudapi.cn/"));

    public static IReadOnlyList<AzureCloud> All { get; } = [Public, UsGovernment, China];

    /// <summary>The token scope for Azure Resource Manager (and so Resource Graph).</summary>
    public string ResourceManagerScope => ResourceManager.GetLeftPart(UriPartial.Authority) + "/.default";

    /// <summary>The token scope for Microsoft Graph application permissions.</summary>
    public string MicrosoftGraphScope => MicrosoftGraph.GetLeftPart(UriPartial.Authority) + "/.default";

    /// <summary>
    /// The audience of a managed identity's token used as a federated credential (Microsoft Learn,
    /// "Configure an application to trust a managed identity": api://AzureADTokenExchange in the global
    /// service, api://AzureADTokenExchangeUSGov for US Government, api://AzureADTokenExchangeChina for
    /// Azure operated by 21Vianet). The federated credential on the app must name the same.
    /// </summary>
    public string TokenExchangeAudience => Name switch
    {
        "usgov" => "api://AzureADTokenExchangeUSGov",
        "china" => "api://AzureADTokenExchangeChina",
        _ => "api://AzureADTokenExchange",
    };

    /// <summary>
    /// The token scope of the Azure Monitor Logs Ingestion API: the audience (the Azure SDKs'
    /// LogsIngestionAudience: https://monitor.azure.com, https://monitor.azure.us, https://monitor.azure.cn)
    /// followed by "//.default", as Microsoft's Azure SDK for Python writes it (azure-monitor-ingestion,
    /// aio/_patch.py, LogsIngestionClient: scope = 'https://monitor.azure.com//.default'). Entra ID takes
    /// the single-slash form too; this is the documented one.
    /// </summary>
    public string MonitorIngestionScope => Name switch
    {
        "usgov" => "https://monitor.azure.us//.default",
        "china" => "https://monitor.azure.cn//.default",
        _ => "https://monitor.azure.com//.default",
    };

    /// <summary>The Microsoft Graph v1.0 base address.</summary>
    public string MicrosoftGraphV1 => MicrosoftGraph.GetLeftPart(UriPartial.Authority) + "/v1.0";

    /// <summary>
    /// Finds a cloud by its name here (public, usgov, china) or by the name the Azure CLI and
    /// PowerShell use (AzureCloud, AzureUSGovernment, AzureChinaCloud).
    /// </summary>
    public static bool TryParse(string? name, out AzureCloud cloud)
    {
        cloud = Public;
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "public" or "azurecloud" or "azurepubliccloud" or "global":
                cloud = Public;
                return true;
            case "usgov" or "usgovernment" or "azureusgovernment" or "azureusgovernmentcloud" or "fairfax":
                cloud = UsGovernment;
                return true;
            case "china" or "azurechinacloud" or "mooncake":
                cloud = China;
                return true;
            default:
                return false;
        }
    }
}
