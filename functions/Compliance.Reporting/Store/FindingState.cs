using Compliance.Core.Findings;
using Compliance.Reporting.History;

namespace Compliance.Reporting.Store;

/// <summary>
/// A finding's state across the runs of a tenant, without the finding itself: when it was first and
/// last seen, its last outcome and status, and the outcome before that (so that finalising the same
/// run twice gives the same history).
/// </summary>
public sealed record FindingState
{
    public required string TenantId { get; init; }

    public required string FindingId { get; init; }

    public required DateTimeOffset FirstSeenAt { get; init; }

    public required DateTimeOffset LastSeenAt { get; init; }

    public required string LastRunId { get; init; }

    public required Outcome LastOutcome { get; init; }

    public HistoryStatus? LastStatus { get; init; }

    /// <summary>The run that set the state before <see cref="LastRunId"/>, if any.</summary>
    public string? PriorRunId { get; init; }

    public Outcome? PriorOutcome { get; init; }
}
