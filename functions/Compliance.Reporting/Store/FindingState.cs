using Compliance.Core.Findings;
using Compliance.Reporting.History;

namespace Compliance.Reporting.Store;

/// <summary>
/// The last known outcome of a finding that is no longer in the latest run of its tenant (its
/// resource was gone from what was read, its rule was not evaluated, its scope failed while it
/// passed): without the finding itself. A finding in the latest run needs no state, the run holds
/// it; so states are written only for findings that leave, and a run that sees one again compares
/// with it. <see cref="OrderKey"/> is the finding's place in the store's order (<see cref="FindingKey.OrderKey"/>).
/// </summary>
public sealed record FindingState
{
    public required string TenantId { get; init; }

    public required string FindingId { get; init; }

    public required string OrderKey { get; init; }

    /// <summary>When the run that last held it started.</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    public required string LastRunId { get; init; }

    public required Outcome LastOutcome { get; init; }

    public HistoryStatus? LastStatus { get; init; }
}
