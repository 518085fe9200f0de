using Compliance.Core.Findings;
using Compliance.Reporting.Suppressions;

namespace Compliance.Reporting.Store;

/// <summary>
/// Where runs, their findings, each finding's state across runs and suppressions are kept: SQLite
/// for the CLI, Azure Tables and Blobs for the Functions app. Every write is idempotent, so a
/// retried queue message or a re-run finalisation never duplicates anything.
/// </summary>
/// <remarks>
/// A run goes: <see cref="CreateRunAsync"/> (with the scopes it expects) → <see cref="SaveFindingsAsync"/>
/// per scope (any number of times) → <see cref="CompleteScopeAsync"/> per scope → one caller wins
/// <see cref="TryClaimFinalizationAsync"/> → <see cref="FinalizeRunAsync"/>. The history itself is
/// computed once, outside the stores, by <see cref="History.RunFinalizer"/>.
/// </remarks>
public interface IReportStore
{
    /// <summary>Creates a run in <see cref="RunStatus.Running"/>; when the run already exists (a retried timer) returns it unchanged.</summary>
    Task<RunRecord> CreateRunAsync(RunStart run, CancellationToken cancellationToken = default);

    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Runs newest first (by start time, then id).</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores findings of one scope of a run, keyed by run id + finding id: saving the same finding
    /// again replaces it. Throws <see cref="ReportStoreException"/> when the run does not exist or is finalised.
    /// </summary>
    Task SaveFindingsAsync(string runId, string scopeId, IReadOnlyList<Finding> findings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a scope finished (ok, or error with the reason); a scope the run did not expect is
    /// added. Idempotent. Returns the run as it now stands, so the caller can see whether every scope is done.
    /// </summary>
    Task<RunRecord> CompleteScopeAsync(string runId, ScopeCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically moves the run from running to finalising (compare-and-set): exactly one of any number
    /// of concurrent callers gets true. A claim older than <paramref name="lease"/> whose finaliser
    /// never finished may be claimed again; a finalised run never is.
    /// </summary>
    Task<bool> TryClaimFinalizationAsync(string runId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>The light form of every finding of a run (what the history needs), in finding id order.</summary>
    Task<IReadOnlyList<FindingKey>> ListFindingKeysAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>The findings of a run with these ids (those that exist).</summary>
    Task<IReadOnlyList<StoredFinding>> GetFindingsAsync(string runId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default);

    /// <summary>One page of a run's findings, filtered, in finding id order.</summary>
    Task<FindingPage> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default);

    /// <summary>The stored state of these findings of a tenant (those that have one).</summary>
    Task<IReadOnlyDictionary<string, FindingState>> GetFindingStatesAsync(string tenantId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the result of the history: each finding's status, the findings carried over from the
    /// previous run, the finding states, the counts and the final status. Idempotent.
    /// </summary>
    Task FinalizeRunAsync(RunFinalization finalization, CancellationToken cancellationToken = default);

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

    Task<IReadOnlyList<Suppression>> ListSuppressionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the suppression with this id.</summary>
    Task UpsertSuppressionAsync(Suppression suppression, CancellationToken cancellationToken = default);

    Task<bool> DeleteSuppressionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes runs started before <paramref name="cutoff"/> with their findings, except each
    /// tenant's latest finalised run (the next run's history needs it), and the finding states last
    /// seen before the cutoff in a deleted run.
    /// </summary>
    Task<PruneResult> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
