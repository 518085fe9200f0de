namespace Compliance.Azure.Collectors;

/// <summary>How the Resource Graph collector pages and batches its queries.</summary>
public sealed class ResourceGraphOptions
{
    public const string SectionName = "Collectors:ResourceGraph";

    /// <summary>The REST API version of Microsoft.ResourceGraph/resources.</summary>
    public string ApiVersion { get; set; } = "2022-10-01";

    /// <summary>Rows per page ($top); Resource Graph serves at most 1000.</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// Subscriptions per query. Larger batches mean fewer requests; smaller ones let batches run in
    /// parallel and keep a failing batch from hiding many subscriptions.
    /// </summary>
    public int SubscriptionBatchSize { get; set; } = 25;

    /// <summary>Queries in flight at once (the per-user quota headers still pace them).</summary>
    public int MaxConcurrency { get; set; } = 4;
}
