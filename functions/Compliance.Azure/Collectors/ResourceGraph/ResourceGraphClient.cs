using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Compliance.Azure.Collectors.Http;

namespace Compliance.Azure.Collectors.ResourceGraph;

/// <summary>
/// Azure Resource Graph over REST (POST providers/Microsoft.ResourceGraph/resources): one query
/// over a batch of subscriptions, paged with $skipToken.
/// </summary>
internal sealed class ResourceGraphClient(HttpPipeline pipeline, Uri resourceManager, ResourceGraphOptions options, CollectorRetryOptions retry, TimeProvider time)
{
    private readonly Uri _endpoint = new(resourceManager, "providers/Microsoft.ResourceGraph/resources");

    /// <summary>Every page of the query; dispose each page when its rows are written.</summary>
    public async IAsyncEnumerable<ResourceGraphPage> QueryAsync(
        IReadOnlyList<string> subscriptions,
        ResourceGraphQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? skipToken = null;
        var number = 0;
        do
        {
            number++;
            var body = RequestBody(subscriptions, query.Text, skipToken);
            var pageNumber = number;
            var page = await JsonCall.SendAsync(
                pipeline,
                ServiceKind.ResourceGraph,
                request =>
                {
                    request.Method = RequestMethod.Post;
                    request.Uri.Reset(_endpoint);
                    request.Uri.AppendQuery("api-version", options.ApiVersion);
                    request.Headers.Add("Content-Type", "application/json");
                    request.Content = RequestContent.Create(body);
                },
                content => ResourceGraphPage.Parse(content, pageNumber),
                retry,
                time,
                cancellationToken).ConfigureAwait(false);
            skipToken = page.SkipToken;
            yield return page;
        }
        while (skipToken is not null);
    }

    private BinaryData RequestBody(IReadOnlyList<string> subscriptions, string query, string? skipToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("subscriptions");
            foreach (var subscription in subscriptions)
            {
                json.WriteStringValue(subscription);
            }

            json.WriteEndArray();
            json.WriteString("query", query);
            json.WriteStartObject("options");
            json.WriteNumber("$top", options.PageSize);
            if (skipToken is not null)
            {
                json.WriteString("$skipToken", skipToken);
            }

            json.WriteString("resultFormat", "objectArray");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new BinaryData(buffer.WrittenMemory);
    }
}
