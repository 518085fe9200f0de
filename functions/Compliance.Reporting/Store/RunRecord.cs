namespace Compliance.Reporting.Store;

/// <summary>A stored run: its identity, scopes, packs, status, provenance and, once finalised, counts.</summary>
public sealed record RunRecord
{
    public required string RunId { get; init; }

    public required string TenantId { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public required RunStatus Status { get; init; }

    public IReadOnlyList<RunScope> Scopes { get; init; } = [];

    public IReadOnlyList<PackInfo> Packs { get; init; } = [];

    public IReadOnlyList<string> RuleIds { get; init; } = [];

    public string? Trigger { get; init; }

    /// <summary>Set once finalised.</summary>
    public RunCounts? Counts { get; init; }

    /// <summary>The run the history compared against, when there was one.</summary>
    public string? PreviousRunId { get; init; }

    /// <summary>When the finalisation was claimed (while <see cref="RunStatus.Finalizing"/>).</summary>
    public DateTimeOffset? FinalizationClaimedAt { get; init; }

    /// <summary>Why the run is <see cref="RunStatus.Suspect"/>; with <see cref="ChangesAccepted"/>, what was accepted.</summary>
    public string? SuspectReason { get; init; }

    /// <summary>True when the run would have been suspect and its changes were accepted (--accept-changes).</summary>
    public bool ChangesAccepted { get; init; }

    /// <summary>Why the run is <see cref="RunStatus.Abandoned"/>.</summary>
    public string? AbandonedReason { get; init; }

    public RunProvenance Provenance { get; init; } = new();

    public IReadOnlyList<RunNotification> Notifications { get; init; } = [];

    /// <summary>
    /// The stored version of the run (an ETag, a row version), for a conditional update
    /// (<see cref="IReportStore.TryUpdateRunAsync"/>): the update applies only if nobody changed the run since it was read.
    /// </summary>
    public string Version { get; init; } = string.Empty;

    public bool IsFinalized => Status.IsFinalized();

    /// <summary>Whether every scope has reported (ok or error).</summary>
    public bool AllScopesDone => Scopes.All(s => s.Status != ScopeStatus.Pending);

    public RunScope? FindScope(string scopeId) =>
        Scopes.FirstOrDefault(s => string.Equals(s.Id, scopeId, StringComparison.OrdinalIgnoreCase));
}
