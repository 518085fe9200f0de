using Compliance.Core.Findings;
using Compliance.Reporting.Suppressions;

namespace Compliance.Reporting.Store;

/// <summary>
/// Where runs, their findings, each finding's state across runs and suppressions are kept: SQLite
/// for the CLI (Compliance.Reporting.Sqlite), Azure Tables and Blobs for the Functions app. Stores
/// do storage only — conditional updates, batched writes, ordered streams, deletes by id; when a run
/// may be claimed, which runs to prune or keep, and what the history is, are decided by the run
/// pipeline (<see cref="Runs.RunRecorder"/>, <see cref="History.RunFinalizer"/>). Every write is
/// idempotent, so a retried queue message or a re-run finalisation never duplicates anything.
/// </summary>
/// <remarks>
/// A run goes: <see cref="CreateRunAsync"/> (with the scopes it expects) → <see cref="SaveFindingsAsync"/>
/// (any number of times; keyed by run + finding id, so saving again replaces) → <see cref="CompleteScopesAsync"/>
/// → a claim (<see cref="TryUpdateRunAsync"/> to finalizing) → <see cref="BeginFinalizationAsync"/>.
/// Findings are kept compactly: rule metadata once per run and rule version, a pass as ids and an
/// outcome (its reason derives from the rule), reasons and evidence only where they say something.
/// </remarks>
public interface IReportStore
{
    /// <summary>Creates a run in <see cref="RunStatus.Running"/>; when the run already exists (a retried timer) returns it unchanged.</summary>
    Task<RunRecord> CreateRunAsync(RunStart run, CancellationToken cancellationToken = default);

    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Runs newest first (by start time, then id).</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="change"/> if the run is still at <paramref name="expectedVersion"/>
    /// (compare-and-set): of concurrent callers that read the same version, exactly one gets true.
    /// False also when the run does not exist.
    /// </summary>
    Task<bool> TryUpdateRunAsync(string runId, string expectedVersion, RunChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores findings of a run, keyed by run id + finding id: saving the same finding again replaces
    /// it. Throws <see cref="ReportStoreException"/> when the run does not exist or is no longer running.
    /// </summary>
    Task SaveFindingsAsync(string runId, IReadOnlyList<Finding> findings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that scopes finished (ok, or error with the reason); a scope the run did not expect is
    /// added, and a scope reported again keeps its worst status (an error is never turned back to ok).
    /// Returns the run as it now stands, so the caller can see whether every scope is done.
    /// </summary>
    Task<RunRecord> CompleteScopesAsync(string runId, IReadOnlyList<ScopeCompletion> completions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every finding of a run that the query selects, in the store's order (the same on every read), read
    /// as a stream (the page size is ignored; a continuation token starts after that finding): memory
    /// holds a row, not the run.
    /// </summary>
    IAsyncEnumerable<StoredFinding> ReadFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default);

    /// <summary>One page of a run's findings, filtered, in the store's order; the continuation token names where the next page starts.</summary>
    Task<FindingPage> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default);

    /// <summary>The findings of a run with these ids (those that exist).</summary>
    Task<IReadOnlyList<StoredFinding>> GetFindingsAsync(string runId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default);

    /// <summary>The stored state of these findings of a tenant (those that left the latest run and have one).</summary>
    Task<IReadOnlyDictionary<string, FindingState>> GetFindingStatesAsync(string tenantId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a finalisation of a run the caller has claimed (<see cref="RunStatus.Finalizing"/>): see
    /// <see cref="IFinalizationSession"/>. Throws <see cref="ReportStoreException"/> when the run is not finalizing.
    /// </summary>
    Task<IFinalizationSession> BeginFinalizationAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a notification of the run went out on <paramref name="channel"/>; true for the
    /// first caller only. Record it before posting (or retrying) and post only on true: never twice.
    /// </summary>
    Task<bool> TryRecordNotificationAsync(string runId, string channel, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records how a notification recorded with <see cref="TryRecordNotificationAsync"/> ended: sent,
    /// skipped, or failed with the reason in <paramref name="detail"/>. Throws
    /// <see cref="ReportStoreException"/> when the notification was never recorded.
    /// </summary>
    Task RecordNotificationResultAsync(string runId, string channel, NotificationStatus status, string? detail, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The suppressions kept in the store, as written (<see cref="Runs.SuppressionSources"/> checks them like a file).</summary>
    Task<IReadOnlyList<Suppression>> ListSuppressionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the suppression with this id.</summary>
    Task UpsertSuppressionAsync(Suppression suppression, CancellationToken cancellationToken = default);

    Task<bool> DeleteSuppressionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes these runs with their findings (whatever their status), and the finding states last
    /// seen before <paramref name="statesSeenBefore"/>. Which runs to delete is the caller's decision
    /// (<see cref="Runs.RunRetention"/>).
    /// </summary>
    Task<PruneResult> DeleteRunsAsync(IReadOnlyCollection<string> runIds, DateTimeOffset statesSeenBefore, CancellationToken cancellationToken = default);
}
