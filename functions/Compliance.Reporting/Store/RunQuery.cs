namespace Compliance.Reporting.Store;

/// <summary>Which runs to list.</summary>
public sealed record RunQuery
{
    public string? TenantId { get; init; }

    /// <summary>Only runs in these statuses; empty: any.</summary>
    public IReadOnlyCollection<RunStatus> Statuses { get; init; } = [];

    /// <summary>Only runs started strictly before this time.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    public int Limit { get; init; } = 100;

    public static IReadOnlyCollection<RunStatus> Finalized { get; } = [RunStatus.Completed, RunStatus.Incomplete];
}
