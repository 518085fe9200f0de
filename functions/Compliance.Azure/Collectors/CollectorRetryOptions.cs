namespace Compliance.Azure.Collectors;

/// <summary>How every collector request is retried and paced (Resource Graph, ARM and Graph alike).</summary>
public sealed class CollectorRetryOptions
{
    public const string SectionName = "Collectors:Retry";

    /// <summary>Retries after the first attempt, for 408, 429, 5xx, timeouts, network errors and unreadable pages.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First back-off when the service does not say how long to wait; doubles each retry.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off computed here.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest wait a service may ask for (Retry-After, quota reset). A longer request fails the
    /// call instead of stalling the scan.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one attempt may take, headers and body.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
