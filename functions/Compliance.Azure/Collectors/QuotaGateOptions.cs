namespace Compliance.Azure.Collectors;

/// <summary>
/// The Resource Graph quota shared by every instance of the Function App (section
/// "Collectors:QuotaGate"). Resource Graph gives each user (here: the app's one identity) a number of
/// queries per time window — "for example, a user can send at most 15 queries within every 5-second
/// window without being throttled" (Microsoft Learn, "Guidance for throttled requests in Azure Resource
/// Graph") — and says in every response how many are left (x-ms-user-quota-remaining) and when the
/// window resets (x-ms-user-quota-resets-after). The defaults are that example; the headers correct
/// the bucket whenever the service says less is left.
/// </summary>
public sealed class QuotaGateOptions
{
    public const string SectionName = "Collectors:QuotaGate";

    /// <summary>Share the quota through Table storage when the app has a report store in Azure Tables (the Function App).</summary>
    public bool Shared { get; set; } = true;

    /// <summary>Queries per window, fleet-wide.</summary>
    public int Capacity { get; set; } = 15;

    /// <summary>The window in which <see cref="Capacity"/> queries may be sent.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest one query waits at the gate; past it the query goes (and Resource Graph's own 429
    /// handling takes over) rather than stall a scan on a bucket nobody refills.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(5);
}
