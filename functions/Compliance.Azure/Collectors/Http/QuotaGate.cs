namespace Compliance.Azure.Collectors.Http;

/// <summary>
/// Resource Graph's per-user quota: every response says how many queries are left in the window
/// (x-ms-user-quota-remaining) and when it resets (x-ms-user-quota-resets-after). When the queries
/// left would not cover the ones in flight, further queries wait for the reset instead of being
/// throttled.
/// </summary>
internal sealed class QuotaGate(TimeProvider time, int reserve) : IQuotaGate
{
    private readonly Lock _lock = new();
    private DateTimeOffset _closedUntil = DateTimeOffset.MinValue;

    /// <summary>Waits until the window resets, if the quota is spent; returns the time waited.</summary>
    public async Task<TimeSpan> WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            wait = _closedUntil - time.GetUtcNow();
        }

        if (wait <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        return wait;
    }

    public Task ObserveAsync(Func<string, string?> header, CancellationToken cancellationToken)
    {
        Observe(header);
        return Task.CompletedTask;
    }

    public void Observe(Func<string, string?> header)
    {
        var remaining = RetryRules.ParseRemaining(header(RetryRules.QuotaRemainingHeader));
        var reset = RetryRules.ParseResetsAfter(header(RetryRules.QuotaResetsAfterHeader));
        if (remaining is null || reset is null || remaining > reserve)
        {
            return;
        }

        lock (_lock)
        {
            var until = time.GetUtcNow() + reset.Value;
            if (until > _closedUntil)
            {
                _closedUntil = until;
            }
        }
    }
}
