using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Azure.Collectors.Http;

/// <summary>
/// Sends one request through a collector pipeline and reads its JSON answer. An error status
/// becomes an <see cref="AzureCallException"/>; an answer that cannot be read (not JSON, not the
/// documented shape) is fetched again like a transient failure, then reported as such.
/// </summary>
internal static class JsonCall
{
    public static async Task<T> SendAsync<T>(
        HttpPipeline pipeline,
        ServiceKind service,
        Action<Request> build,
        Func<BinaryData, T> parse,
        CollectorRetryOptions retry,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var attemptsSoFar = 0;
        for (var unreadable = 0; ; unreadable++)
        {
            using var message = pipeline.CreateMessage();
            build(message.Request);
            await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            attemptsSoFar += message.TryGetProperty(CollectorRetryPolicy.AttemptsProperty, out var a) && a is int n ? n : 1;
            var response = message.Response;
            var content = response.Content;
            if (response.Status is < 200 or > 299)
            {
                var (code, detail) = ErrorBody.Parse(content.ToMemory().Span, response.ReasonPhrase);
                throw new AzureCallException(service, FailureKind.Status, response.Status, code, detail, attemptsSoFar);
            }

            try
            {
                return parse(content);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                if (unreadable >= retry.MaxRetries)
                {
                    var detail = ex is JsonException ? "not valid JSON: " + ErrorBody.Shorten(ex.Message) : ex.Message;
                    throw new AzureCallException(service, FailureKind.InvalidResponse, response.Status, null, detail, attemptsSoFar, ex);
                }

                CollectionStatistics.Current?.CountRetry();
                await Task.Delay(RetryRules.Backoff(unreadable + 1, retry), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Checks that an item of a list has the string id and type every snapshot resource needs.</summary>
    public static void RequireIdAndType(JsonElement item, string where, bool typeRequired = true)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: an item is {item.ValueKind.ToString().ToLowerInvariant()}, not an object");
        }

        if (!item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0)
        {
            throw new InvalidDataException($"{where}: an item has no 'id'");
        }

        if (typeRequired && (!item.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString()!.Length == 0))
        {
            throw new InvalidDataException($"{where}: item '{id.GetString()}' has no 'type'");
        }
    }
}
