namespace Compliance.Reporting.Store;

/// <summary>
/// What a finalisation writes, a batch at a time, in the store's order: the history status of
/// evaluated findings whose status changed, the findings carried over from the previous run, and the
/// states of findings that leave the history's window.
/// </summary>
public sealed record FinalizationBatch
{
    public IReadOnlyList<FindingStatusUpdate> Statuses { get; init; } = [];

    public IReadOnlyList<StoredFinding> Carried { get; init; } = [];

    public IReadOnlyList<FindingState> States { get; init; } = [];

    public bool IsEmpty => Statuses.Count == 0 && Carried.Count == 0 && States.Count == 0;
}
