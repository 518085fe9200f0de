using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Azure.Collectors.Http;

/// <summary>
/// The retry policy of the Resource Graph and ARM pipelines (it replaces Azure.Core's, whose waits
/// cannot be driven by a <see cref="TimeProvider"/>): counts every attempt, honours Retry-After and
/// Resource Graph's quota headers, retries 408/429/5xx, timeouts and network errors with back-off,
/// and leaves the last response in place when it gives up.
/// </summary>
internal sealed class CollectorRetryPolicy(ServiceKind service, CollectorRetryOptions options, TimeProvider time, IQuotaGate? quota) : HttpPipelinePolicy
{
    public const string AttemptsProperty = "compliance.attempts";

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The collectors only call services asynchronously.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var stats = CollectionStatistics.Current;
        for (var attempt = 1; ; attempt++)
        {
            if (quota is not null && await quota.WaitAsync(message.CancellationToken).ConfigureAwait(false) is var waited && waited > TimeSpan.Zero)
            {
                stats?.CountThrottledWait(waited);
            }

            stats?.CountRequest(service);
            message.SetProperty(AttemptsProperty, attempt);
            Exception? failure = null;
            FailureKind kind = FailureKind.Network;
            try
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!message.CancellationToken.IsCancellationRequested)
            {
                // Azure.Core's network timeout (ClientOptions.Retry.NetworkTimeout) cancels the attempt.
                failure = ex;
                kind = FailureKind.Timeout;
            }
            catch (RequestFailedException ex) when (ex.Status == 0)
            {
                failure = ex;
                kind = FailureKind.Network;
            }

            TimeSpan? requested = null;
            if (failure is null)
            {
                var response = message.Response;
                string? Header(string name) => response.Headers.TryGetValue(name, out var value) ? value : null;
                if (quota is not null)
                {
                    await quota.ObserveAsync(Header, message.CancellationToken).ConfigureAwait(false);
                }

                if (!RetryRules.IsRetryable(response.Status))
                {
                    return;
                }

                requested = RetryRules.RequestedDelay(response.Status, Header, time.GetUtcNow());
                if (requested > options.MaxRetryAfter)
                {
                    // Waiting that long would stall the scan; the caller reports the throttling.
                    return;
                }
            }

            if (attempt > options.MaxRetries)
            {
                if (failure is null)
                {
                    return;
                }

                var detail = kind == FailureKind.Timeout
                    ? $"no answer within {options.NetworkTimeout.TotalSeconds:0.###} s"
                    : failure.InnerException?.Message ?? failure.Message;
                throw new AzureCallException(service, kind, 0, null, detail, attempt, failure);
            }

            var delay = requested ?? RetryRules.Backoff(attempt, options);
            if (requested is not null)
            {
                stats?.CountThrottledWait(delay);
            }

            stats?.CountRetry();
            await Task.Delay(delay, time, message.CancellationToken).ConfigureAwait(false);
        }
    }
}
