using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Core.Pipeline;
using Compliance.Azure.Collectors.Http;

namespace Compliance.Azure.Collectors.Arm;

/// <summary>Azure Resource Manager GET lists, following nextLink.</summary>
internal sealed class ArmClient(HttpPipeline pipeline, Uri resourceManager, CollectorRetryOptions retry, TimeProvider time)
{
    public Uri Endpoint => resourceManager;

    /// <summary>Every page of a list; <paramref name="pathAndQuery"/> is relative to the ARM endpoint.</summary>
    public async IAsyncEnumerable<ArmPage> ListAsync(string pathAndQuery, string what, bool typeRequired, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Uri? next = new(resourceManager, pathAndQuery.TrimStart('/'));
        while (next is not null)
        {
            var uri = next;
            var page = await JsonCall.SendAsync(
                pipeline,
                ServiceKind.ResourceManager,
                request =>
                {
                    request.Method = RequestMethod.Get;
                    request.Uri.Reset(uri);
                },
                content => ArmPage.Parse(content, resourceManager, what, typeRequired),
                retry,
                time,
                cancellationToken).ConfigureAwait(false);
            next = page.NextLink;
            yield return page;
        }
    }
}
