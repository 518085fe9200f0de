namespace Compliance.Reporting.Store;

/// <summary>What a finalisation commits on the run: its final status, when, against which run, the counts.</summary>
public sealed record RunFinalization
{
    /// <summary>Completed, incomplete or suspect.</summary>
    public required RunStatus Status { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public string? PreviousRunId { get; init; }

    public required RunCounts Counts { get; init; }

    public string? SuspectReason { get; init; }

    public bool ChangesAccepted { get; init; }
}
