namespace Compliance.Reporting.Store;

/// <summary>
/// A change to a run's record, applied by <see cref="IReportStore.TryUpdateRunAsync"/> only when the run
/// is still at the version it was read at. Null members are left as they are.
/// </summary>
public sealed record RunChange
{
    public RunStatus? Status { get; init; }

    /// <summary>Sets <see cref="RunRecord.FinalizationClaimedAt"/>; with <see cref="ClearClaim"/> it is removed.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    public bool ClearClaim { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? AbandonedReason { get; init; }

    public RunProvenance? Provenance { get; init; }
}
