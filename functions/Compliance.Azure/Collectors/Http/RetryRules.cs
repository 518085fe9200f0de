using System.Globalization;
using System.Net;

namespace Compliance.Azure.Collectors.Http;

/// <summary>What is retried and how long to wait: one set of rules for Resource Graph, ARM and Microsoft Graph.</summary>
internal static class RetryRules
{
    public const string QuotaRemainingHeader = "x-ms-user-quota-remaining";
    public const string QuotaResetsAfterHeader = "x-ms-user-quota-resets-after";

    public static bool IsRetryable(int status) =>
        status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or
            (int)HttpStatusCode.InternalServerError or (int)HttpStatusCode.BadGateway or
            (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// The wait a service asked for: retry-after-ms / x-ms-retry-after-ms, Retry-After (seconds or an
    /// HTTP date) and, on a 429 from Resource Graph, the quota reset time.
    /// </summary>
    public static TimeSpan? RequestedDelay(int status, Func<string, string?> header, DateTimeOffset now)
    {
        foreach (var name in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
        {
            if (header(name) is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
            {
                return TimeSpan.FromMilliseconds(millis);
            }
        }

        if (header("Retry-After") is { } retryAfter)
        {
            if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        if (status == (int)HttpStatusCode.TooManyRequests && ParseResetsAfter(header(QuotaResetsAfterHeader)) is { } reset)
        {
            return reset;
        }

        return null;
    }

    /// <summary>Exponential back-off with jitter, for failures that name no wait.</summary>
    public static TimeSpan Backoff(int retry, CollectorRetryOptions options)
    {
        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1));
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);

        // ±20 % so that parallel callers throttled together do not come back together.
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    /// <summary>Parses hh:mm:ss (Resource Graph's x-ms-user-quota-resets-after).</summary>
    public static TimeSpan? ParseResetsAfter(string? value) =>
        value is not null && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var reset) && reset >= TimeSpan.Zero ? reset : null;

    public static int? ParseRemaining(string? value) =>
        value is not null && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining) ? remaining : null;
}
