namespace Compliance.Reporting.Store;

/// <summary>Everything <see cref="IReportStore.FinalizeRunAsync"/> writes.</summary>
public sealed record RunFinalization
{
    public required string RunId { get; init; }

    /// <summary><see cref="RunStatus.Completed"/> or <see cref="RunStatus.Incomplete"/>.</summary>
    public required RunStatus Status { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public string? PreviousRunId { get; init; }

    public required RunCounts Counts { get; init; }

    public IReadOnlyList<FindingStatusUpdate> Statuses { get; init; } = [];

    public IReadOnlyList<StoredFinding> Carried { get; init; } = [];

    public IReadOnlyList<FindingState> States { get; init; } = [];
}
