namespace Compliance.Reporting.Store;

/// <summary>Which runs to list, and in which order.</summary>
public sealed record RunQuery
{
    public string? TenantId { get; init; }

    /// <summary>Only runs in these statuses; empty: any.</summary>
    public IReadOnlyCollection<RunStatus> Statuses { get; init; } = [];

    /// <summary>Only runs started strictly before this time.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>Newest started first (the default), or last finished first (runs not finished last).</summary>
    public RunOrder Order { get; init; } = RunOrder.NewestStarted;

    public int Limit { get; init; } = 100;
}

/// <summary>How <see cref="RunQuery"/> orders runs.</summary>
public enum RunOrder
{
    /// <summary>By start time, newest first, then run id.</summary>
    NewestStarted,

    /// <summary>By finish time, latest first, then run id: "the latest run" of a store.</summary>
    LatestFinished,
}
