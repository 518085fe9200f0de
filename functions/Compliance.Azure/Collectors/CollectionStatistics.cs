namespace Compliance.Azure.Collectors;

/// <summary>What one collection cost: requests sent per service (every attempt counts), retries and throttling waits.</summary>
public sealed class CollectionStatistics
{
    private static readonly AsyncLocal<CollectionStatistics?> CurrentCollection = new();

    private long _resourceGraphRequests;
    private long _armRequests;
    private long _graphRequests;
    private long _retries;
    private long _throttledWaits;
    private long _throttledTicks;

    public long ResourceGraphRequests => Interlocked.Read(ref _resourceGraphRequests);

    public long ArmRequests => Interlocked.Read(ref _armRequests);

    public long GraphRequests => Interlocked.Read(ref _graphRequests);

    public long TotalRequests => ResourceGraphRequests + ArmRequests + GraphRequests;

    /// <summary>Attempts that repeated an earlier one (after 429, 5xx, a timeout or an unreadable page).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Waits imposed by the services (Retry-After, Resource Graph's per-user quota).</summary>
    public long ThrottledWaits => Interlocked.Read(ref _throttledWaits);

    public TimeSpan ThrottledTime => TimeSpan.FromTicks(Interlocked.Read(ref _throttledTicks));

    /// <summary>The statistics of the collection running on this async flow, if any.</summary>
    internal static CollectionStatistics? Current
    {
        get => CurrentCollection.Value;
        set => CurrentCollection.Value = value;
    }

    internal void CountRequest(ServiceKind service)
    {
        switch (service)
        {
            case ServiceKind.ResourceGraph:
                Interlocked.Increment(ref _resourceGraphRequests);
                break;
            case ServiceKind.ResourceManager:
                Interlocked.Increment(ref _armRequests);
                break;
            case ServiceKind.MicrosoftGraph:
                Interlocked.Increment(ref _graphRequests);
                break;
        }
    }

    internal void CountRetry() => Interlocked.Increment(ref _retries);

    internal void CountThrottledWait(TimeSpan wait)
    {
        Interlocked.Increment(ref _throttledWaits);
        Interlocked.Add(ref _throttledTicks, wait.Ticks);
    }
}
