using Azure.Core;
using Compliance.Azure.Collectors.Clouds;
using Compliance.Azure.Collectors.Http;
using Microsoft.Graph;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace Compliance.Azure.Collectors.Graph;

/// <summary>Builds the Microsoft Graph client for a cloud, with the collectors' retry rules and transport.</summary>
internal static class GraphClients
{
    public static GraphServiceClient Create(TokenCredential credential, AzureCloud cloud, CollectorRetryOptions retry, TimeProvider time, CollectorTransport? transport)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers();

        // Kiota's retry handler sleeps on the wall clock; ours follows the shared rules and TimeProvider.
        var kiotaRetry = handlers.FirstOrDefault(h => h is RetryHandler);
        var index = kiotaRetry is null ? 0 : handlers.IndexOf(kiotaRetry);
        if (kiotaRetry is not null)
        {
            handlers.RemoveAt(index);
            kiotaRetry.Dispose();
        }

        handlers.Insert(index, new GraphRetryHandler(retry, time));
        var httpClient = GraphClientFactory.Create(handlers, "v1.0", NationalCloud(cloud), proxy: null, finalHandler: transport?.Handler, disposeHandler: transport is null);

        // Each attempt has its own timeout in the retry handler; the client must not cut retries short.
        httpClient.Timeout = Timeout.InfiniteTimeSpan;
        var host = cloud.MicrosoftGraph.Host;
        var authentication = new AzureIdentityAuthenticationProvider(credential, [host], null, true, cloud.MicrosoftGraphScope);
        return new GraphServiceClient(httpClient, authentication, cloud.MicrosoftGraphV1);
    }

    private static string NationalCloud(AzureCloud cloud) =>
        cloud == AzureCloud.UsGovernment ? GraphClientFactory.USGOV_Cloud
        : cloud == AzureCloud.China ? GraphClientFactory.China_Cloud
        : GraphClientFactory.Global_Cloud;
}
