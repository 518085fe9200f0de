namespace Compliance.Reporting.Store;

/// <summary>
/// One attempt at finalising a run, opened by <see cref="IReportStore.BeginFinalizationAsync"/>: the
/// run's findings, the previous run's and the tenant's finding states as three streams in the
/// store's order (<see cref="FindingKey.OrderKey"/>, so the merge holds one finding of each, however
/// large the run), and writers for what the history decides. The previous run is decided inside the session — the latest baseline run of the
/// tenant finished before this one finishes (SQLite: under the write lock; Table storage: a tenant
/// head read with its ETag and updated conditionally on commit).
/// </summary>
public interface IFinalizationSession : IAsyncDisposable
{
    RunRecord Run { get; }

    /// <summary>The run compared with, or null for the tenant's first.</summary>
    RunRecord? Previous { get; }

    /// <summary>
    /// Whether writes can be undone before the commit (a transaction): then the history is computed in
    /// one pass and undone when the mass-change guard trips; otherwise it is counted first, then written.
    /// </summary>
    bool CanUndo { get; }

    /// <summary>The findings the run evaluated (not carried), in the store's order.</summary>
    IAsyncEnumerable<FindingKey> CurrentAsync(CancellationToken cancellationToken);

    /// <summary>The previous run's findings (carried ones included), in the store's order; empty without one.</summary>
    IAsyncEnumerable<FindingKey> PreviousAsync(CancellationToken cancellationToken);

    /// <summary>The tenant's finding states, in the store's order.</summary>
    IAsyncEnumerable<FindingState> StatesAsync(CancellationToken cancellationToken);

    /// <summary>These findings of the previous run, whole (to carry them over).</summary>
    Task<IReadOnlyList<StoredFinding>> GetPreviousAsync(IReadOnlyCollection<FindingKey> findings, CancellationToken cancellationToken);

    Task WriteAsync(FinalizationBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's first run — no previous run, no finding states — in one set-wise step, when the
    /// store can: every problem is new, every pass has no status. Returns the counts, or null when the
    /// run is not a first run or the store has no such step (the merge then does the same, a finding at a time).
    /// </summary>
    Task<RunCounts?> TryMarkFirstRunAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every write of this session (only when <see cref="CanUndo"/>).</summary>
    Task UndoAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the finalisation durable and the run final. False when another run of the tenant finished
    /// first, so the previous run is no longer the latest: start a new session and merge again.
    /// </summary>
    Task<bool> CommitAsync(RunFinalization finalization, CancellationToken cancellationToken);
}
