using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Azure.Collectors.Http;

/// <summary>Builds the Azure.Core pipelines of the Resource Graph and ARM clients.</summary>
internal static class AzurePipelines
{
    public static HttpPipeline Build(
        ServiceKind service,
        TokenCredential credential,
        string scope,
        CollectorRetryOptions retry,
        TimeProvider time,
        CollectorTransport? transport,
        IQuotaGate? quota)
    {
        var options = new CollectorClientOptions();
        options.Retry.NetworkTimeout = retry.NetworkTimeout;
        options.RetryPolicy = new CollectorRetryPolicy(service, retry, time, quota);
        options.Diagnostics.ApplicationId = "compliance-scanner";
        if (transport is not null)
        {
            options.Transport = new HttpClientTransport(new HttpClient(transport.Handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan });
        }

        return HttpPipelineBuilder.Build(options, [], [new BearerTokenAuthenticationPolicy(credential, scope)], new ResponseClassifier());
    }

    private sealed class CollectorClientOptions : ClientOptions
    {
    }
}
