namespace Compliance.Reporting.Store;

/// <summary>A stored run: its identity, scopes, packs, status and, once finalised, counts.</summary>
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

    public IReadOnlyList<RunNotification> Notifications { get; init; } = [];

    public bool IsFinalized => Status is RunStatus.Completed or RunStatus.Incomplete;

    /// <summary>Whether every scope has reported (ok or error).</summary>
    public bool AllScopesDone => Scopes.All(s => s.Status != ScopeStatus.Pending);

    public RunScope? FindScope(string scopeId) =>
        Scopes.FirstOrDefault(s => string.Equals(s.Id, scopeId, StringComparison.OrdinalIgnoreCase));
}
