using System.Net.Http.Headers;

namespace Compliance.Azure.Collectors.Http;

/// <summary>
/// The retry handler of the Microsoft Graph client, in place of Kiota's: the same rules as the
/// Azure pipelines (<see cref="RetryRules"/>), waits through a <see cref="TimeProvider"/>, a network
/// timeout per attempt (headers and body) and a count of every attempt.
/// </summary>
internal sealed class GraphRetryHandler(CollectorRetryOptions options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var stats = CollectionStatistics.Current;
        for (var attempt = 1; ; attempt++)
        {
            stats?.CountRequest(ServiceKind.MicrosoftGraph);
            HttpResponseMessage? response = null;
            Exception? failure = null;
            var kind = FailureKind.Network;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(options.NetworkTimeout);
                try
                {
                    response = await base.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);

                    // Read the body within the same timeout: a server that stalls mid-page is a timeout too.
                    await response.Content.LoadIntoBufferAsync(attemptTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    response?.Dispose();
                    response = null;
                    failure = ex;
                    kind = FailureKind.Timeout;
                }
                catch (HttpRequestException ex)
                {
                    response?.Dispose();
                    response = null;
                    failure = ex;
                }
            }

            TimeSpan? requested = null;
            if (response is not null)
            {
                var status = (int)response.StatusCode;
                if (!RetryRules.IsRetryable(status))
                {
                    return response;
                }

                requested = RetryRules.RequestedDelay(status, name => Header(response.Headers, name), time.GetUtcNow());
                if (requested > options.MaxRetryAfter || attempt > options.MaxRetries)
                {
                    return response;
                }

                response.Dispose();
            }
            else if (attempt > options.MaxRetries)
            {
                var detail = kind == FailureKind.Timeout
                    ? $"no answer within {options.NetworkTimeout.TotalSeconds:0.###} s"
                    : failure!.Message;
                throw new AzureCallException(ServiceKind.MicrosoftGraph, kind, 0, null, detail, attempt, failure);
            }

            var delay = requested ?? RetryRules.Backoff(attempt, options);
            if (requested is not null)
            {
                stats?.CountThrottledWait(delay);
            }

            stats?.CountRetry();
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
