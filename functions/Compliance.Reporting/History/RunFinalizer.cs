using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.History;

/// <summary>
/// Finalises a run exactly once: claims it (a conditional update on the run), then streams its
/// findings, the previous run's and the tenant's finding states past <see cref="HistoryClassifier"/>
/// in the store's order (<see cref="FindingKey.OrderKey"/>) — memory holds a batch, not the run —
/// and commits statuses, carried findings, the states of findings that leave, and counts. The previous run is the latest baseline run of the tenant finished
/// before this one finishes, decided inside the store's finalisation session. A run whose snapshot
/// may be cut short, whose readable scopes hold nothing where the previous run's held findings, or
/// that would resolve most previous problems at once is finalised as <see cref="RunStatus.Suspect"/>:
/// nothing resolved, states untouched, unless the changes are accepted.
/// </summary>
public sealed class RunFinalizer(IReportStore store, TimeProvider timeProvider, IOptions<ReportStoreOptions> options)
{
    private const int BatchSize = 1000;
    private const int MaxAttempts = 5;

    /// <summary>Whether a run may be claimed now: running, or finalising under a claim older than the lease (its finaliser died).</summary>
    public static bool IsClaimable(RunRecord run, DateTimeOffset now, TimeSpan lease) =>
        run.Status == RunStatus.Running || (run.Status == RunStatus.Finalizing && (run.FinalizationClaimedAt is not { } claimed || claimed <= now - lease));

    /// <summary>Claims the run for this caller; false when it is not claimable or another caller got it first.</summary>
    public async Task<bool> TryClaimAsync(string runId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var run = await store.GetRunAsync(runId, cancellationToken) ?? throw new ReportStoreException($"run '{runId}' does not exist");
        return IsClaimable(run, now, options.Value.FinalizationLease)
               && await store.TryUpdateRunAsync(runId, run.Version, new RunChange { Status = RunStatus.Finalizing, ClaimedAt = now }, cancellationToken);
    }

    /// <summary>
    /// Finalises the run if this caller wins the claim; returns the finalised run, or null when another
    /// caller claimed it (or it is already finalised or abandoned).
    /// </summary>
    public async Task<RunRecord?> TryFinalizeAsync(string runId, FinalizeOptions? finalize = null, CancellationToken cancellationToken = default)
    {
        finalize ??= new FinalizeOptions();
        if (!await TryClaimAsync(runId, cancellationToken))
        {
            return null;
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            await using var session = await store.BeginFinalizationAsync(runId, cancellationToken);
            var suspect = finalize.AcceptChanges ? null : finalize.SuspectReason;

            // A first run resolves nothing, carries nothing and has nothing to guard against.
            if (session.Previous is null && await session.TryMarkFirstRunAsync(cancellationToken) is { } first)
            {
                var firstRun = new RunFinalization
                {
                    Status = suspect is not null ? RunStatus.Suspect : session.Run.AllScopesDone ? RunStatus.Completed : RunStatus.Incomplete,
                    FinishedAt = timeProvider.GetUtcNow(),
                    Counts = first,
                    SuspectReason = suspect ?? (finalize.AcceptChanges ? finalize.SuspectReason : null),
                    ChangesAccepted = finalize.AcceptChanges && finalize.SuspectReason is not null,
                };
                if (await session.CommitAsync(firstRun, cancellationToken))
                {
                    return await store.GetRunAsync(runId, cancellationToken);
                }

                continue;
            }

            Merge result;
            if (session.CanUndo)
            {
                result = await MergeAsync(session, suspect, write: true, cancellationToken);
                if (suspect is null && !finalize.AcceptChanges && Guard(session, result, finalize) is { } reason)
                {
                    await session.UndoAsync(cancellationToken);
                    suspect = reason;
                    result = await MergeAsync(session, suspect, write: true, cancellationToken);
                }
            }
            else
            {
                if (suspect is null && !finalize.AcceptChanges)
                {
                    suspect = Guard(session, await MergeAsync(session, null, write: false, cancellationToken), finalize);
                }

                result = await MergeAsync(session, suspect, write: true, cancellationToken);
            }

            var accepted = finalize.AcceptChanges ? finalize.SuspectReason ?? Guard(session, result, finalize) : null;
            var finalization = new RunFinalization
            {
                Status = suspect is not null ? RunStatus.Suspect : session.Run.AllScopesDone ? RunStatus.Completed : RunStatus.Incomplete,
                FinishedAt = timeProvider.GetUtcNow(),
                PreviousRunId = session.Previous?.RunId,
                Counts = result.Counts(),
                SuspectReason = suspect ?? accepted,
                ChangesAccepted = accepted is not null,
            };
            if (await session.CommitAsync(finalization, cancellationToken))
            {
                return await store.GetRunAsync(runId, cancellationToken);
            }
        }

        throw new ReportStoreException($"run '{runId}' could not be finalised: other runs of its tenant kept finishing first ({MaxAttempts} attempts)");
    }

    /// <summary>Why the history of the run is not believed, or null.</summary>
    private string? Guard(IFinalizationSession session, Merge merge, FinalizeOptions finalize)
    {
        if (finalize.SuspectReason is { } given)
        {
            return given;
        }

        if (session.Previous is not { } previous)
        {
            return null;
        }

        if (merge.HeldNow == 0 && merge.HeldBefore > 0)
        {
            return $"the scopes this run read hold no resources, while run {previous.RunId} found {merge.HeldBefore} findings in the scopes it read: an empty or partial snapshot would resolve everything";
        }

        var minimum = options.Value.MassChangeMinimum;
        if (merge.WouldResolve >= minimum && merge.WouldResolve * 2 > merge.PreviousProblems)
        {
            return $"it would resolve {merge.WouldResolve} of the {merge.PreviousProblems} problems of run {previous.RunId} at once (more than half): check the snapshot, or accept the changes";
        }

        return null;
    }

    private static async Task<Merge> MergeAsync(IFinalizationSession session, string? suspect, bool write, CancellationToken cancellationToken)
    {
        var run = session.Run;
        var previousRun = session.Previous;
        var scopes = new ScopeLookup(run.Scopes);
        var previousScopes = new ScopeLookup(previousRun?.Scopes ?? []);
        var merge = new Merge();
        var pending = new Pending(session, previousRun, suspect, write);

        await using var current = session.CurrentAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var previous = (previousRun is null ? Empty<FindingKey>() : session.PreviousAsync(cancellationToken)).GetAsyncEnumerator(cancellationToken);
        await using var states = session.StatesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var hasCurrent = await current.MoveNextAsync();
        var hasPrevious = await previous.MoveNextAsync();
        var hasState = await states.MoveNextAsync();
        while (hasCurrent || hasPrevious)
        {
            var key = !hasPrevious ? current.Current.OrderKey
                : !hasCurrent ? previous.Current.OrderKey
                : string.CompareOrdinal(current.Current.OrderKey, previous.Current.OrderKey) <= 0 ? current.Current.OrderKey : previous.Current.OrderKey;
            while (hasState && string.CompareOrdinal(states.Current.OrderKey, key) < 0)
            {
                hasState = await states.MoveNextAsync();
            }

            var state = hasState && states.Current.OrderKey == key ? states.Current : null;
            var now = hasCurrent && current.Current.OrderKey == key ? current.Current : null;
            var before = hasPrevious && previous.Current.OrderKey == key ? previous.Current : null;
            if (before is not null)
            {
                merge.CountPrevious(before, previousScopes, scopes);
            }

            if (now is not null)
            {
                var status = HistoryClassifier.StatusOf(now.Outcome, HistoryClassifier.LastOutcome(before, state));
                if (status == HistoryStatus.Resolved)
                {
                    merge.WouldResolve++;
                    if (suspect is not null)
                    {
                        merge.Withheld++;
                        status = null;
                    }
                }

                merge.CountCurrent(now, status, scopes);
                await pending.EvaluatedAsync(now, status, cancellationToken);
            }
            else if (HistoryClassifier.Carry(run, before!, scopes) is { } decision)
            {
                if (decision.Resolved)
                {
                    merge.WouldResolve++;
                    if (suspect is not null)
                    {
                        merge.Withheld++;
                    }
                }

                merge.CountCarried(decision.Resolved && suspect is null ? HistoryStatus.Resolved : HistoryStatus.Persisting);
                await pending.CarryAsync(decision, cancellationToken);
            }
            else
            {
                // Neither held nor carried: it leaves the window of the history; keep what was last said of it.
                await pending.LeftAsync(before!, cancellationToken);
            }

            if (now is not null)
            {
                hasCurrent = await current.MoveNextAsync();
            }

            if (before is not null)
            {
                hasPrevious = await previous.MoveNextAsync();
            }
        }

        await pending.FlushAsync(cancellationToken);
        return merge;
    }

#pragma warning disable CS1998 // an empty stream
    private static async IAsyncEnumerable<T> Empty<T>()
    {
        yield break;
    }
#pragma warning restore CS1998

    /// <summary>What the merge counted.</summary>
    private sealed class Merge
    {
        private readonly int[] _outcomes = new int[4];
        private readonly Dictionary<HistoryStatus, int> _statuses = [];
        private int _total;
        private int _carried;

        public int WouldResolve { get; set; }

        public int Withheld { get; set; }

        public int PreviousProblems { get; private set; }

        /// <summary>Evaluated findings (other than collection errors) in the scopes this run read.</summary>
        public int HeldNow { get; private set; }

        /// <summary>The previous run's evaluated findings in scopes both runs read.</summary>
        public int HeldBefore { get; private set; }

        public void CountPrevious(FindingKey before, ScopeLookup previousScopes, ScopeLookup scopes)
        {
            if (HistoryClassifier.IsProblem(before.Outcome))
            {
                PreviousProblems++;
            }

            if (!before.Carried && before.RuleId != ScanEngine.CollectionRuleId
                && previousScopes.Find(before.ScopeId) is not { Status: not ScopeStatus.Ok } && scopes.Find(before.ScopeId) is { Status: ScopeStatus.Ok })
            {
                HeldBefore++;
            }
        }

        public void CountCurrent(FindingKey now, HistoryStatus? status, ScopeLookup scopes)
        {
            _total++;
            _outcomes[(int)now.Outcome]++;
            if (status is { } s)
            {
                _statuses[s] = _statuses.GetValueOrDefault(s) + 1;
            }

            if (now.RuleId != ScanEngine.CollectionRuleId && scopes.Find(now.ScopeId) is not { Status: not ScopeStatus.Ok })
            {
                HeldNow++;
            }
        }

        public void CountCarried(HistoryStatus status)
        {
            _carried++;
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
        }

        public RunCounts Counts() => new()
        {
            Total = _total,
            Pass = _outcomes[(int)Outcome.Pass],
            Fail = _outcomes[(int)Outcome.Fail],
            Error = _outcomes[(int)Outcome.Error],
            Suppressed = _outcomes[(int)Outcome.Suppressed],
            New = _statuses.GetValueOrDefault(HistoryStatus.New),
            Persisting = _statuses.GetValueOrDefault(HistoryStatus.Persisting),
            Resolved = _statuses.GetValueOrDefault(HistoryStatus.Resolved),
            Regressed = _statuses.GetValueOrDefault(HistoryStatus.Regressed),
            Carried = _carried,
            Withheld = Withheld,
        };
    }

    /// <summary>Writes collected in the store's order and sent a batch at a time; carried findings are fetched whole in batches.</summary>
    private sealed class Pending(IFinalizationSession session, RunRecord? previousRun, string? suspect, bool write)
    {
        private readonly List<FindingStatusUpdate> _statuses = [];
        private readonly List<FindingState> _states = [];
        private readonly List<CarryDecision> _carry = [];

        public async Task EvaluatedAsync(FindingKey now, HistoryStatus? status, CancellationToken cancellationToken)
        {
            if (!write || status == now.Status)
            {
                return;
            }

            _statuses.Add(new FindingStatusUpdate(now.FindingId, status, now.OrderKey));
            if (_statuses.Count >= BatchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        public async Task CarryAsync(CarryDecision decision, CancellationToken cancellationToken)
        {
            if (!write)
            {
                return;
            }

            _carry.Add(decision);
            if (_carry.Count >= BatchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        /// <summary>A suspect run leaves the states as they were: the next run compares with what was believed.</summary>
        public async Task LeftAsync(FindingKey before, CancellationToken cancellationToken)
        {
            if (!write || suspect is not null || previousRun is null)
            {
                return;
            }

            _states.Add(HistoryClassifier.LeftState(previousRun, before));
            if (_states.Count >= BatchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            var carried = new List<StoredFinding>(_carry.Count);
            if (_carry.Count > 0 && previousRun is not null)
            {
                var originals = (await session.GetPreviousAsync(_carry.Select(c => c.Previous).ToList(), cancellationToken))
                    .ToDictionary(f => f.Finding.FindingId, StringComparer.Ordinal);
                foreach (var decision in _carry)
                {
                    if (originals.TryGetValue(decision.Previous.FindingId, out var original))
                    {
                        carried.Add(HistoryClassifier.Carried(decision, original, previousRun, suspect));
                    }
                }
            }

            var batch = new FinalizationBatch { Statuses = [.. _statuses], Carried = carried, States = [.. _states] };
            _statuses.Clear();
            _states.Clear();
            _carry.Clear();
            if (!batch.IsEmpty)
            {
                await session.WriteAsync(batch, cancellationToken);
            }
        }
    }
}
