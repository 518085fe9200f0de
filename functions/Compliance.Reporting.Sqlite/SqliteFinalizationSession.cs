using System.Globalization;
using System.Runtime.CompilerServices;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Data.Sqlite;

namespace Compliance.Reporting.Sqlite;

/// <summary>
/// A finalisation in one immediate transaction: the write lock is taken first, so the previous run
/// chosen (the tenant's latest baseline run by finish time) cannot change before the commit. The
/// run's staged findings are moved into place in finding id order; what the history decides is
/// collected in temporary tables (never written under an open cursor) and applied set-wise on commit.
/// </summary>
internal sealed class SqliteFinalizationSession : IFinalizationSession
{
    private readonly SqliteReportStore _store;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _tx;
    private readonly long _runKey;
    private readonly long? _previousKey;
    private readonly long _tenantKey;
    private readonly Dictionary<long, string> _runIds;
    private readonly Dictionary<string, long> _runKeys;
    private readonly Dictionary<string, (long Key, RuleMeta Meta)> _newRules = new(StringComparer.Ordinal);
    private readonly RuleMetaCache _rules = new();
    private readonly bool _first;
    private bool _done;

    private SqliteFinalizationSession(SqliteReportStore store, SqliteConnection connection, SqliteTransaction tx, RunRecord run, long runKey, RunRecord? previous, long? previousKey, long tenantKey, Dictionary<long, string> runIds, bool first)
    {
        _first = first;
        _store = store;
        _connection = connection;
        _tx = tx;
        Run = run;
        _runKey = runKey;
        Previous = previous;
        _previousKey = previousKey;
        _tenantKey = tenantKey;
        _runIds = runIds;
        _runKeys = runIds.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    public RunRecord Run { get; }

    public RunRecord? Previous { get; }

    public bool CanUndo => true;

    public static async Task<SqliteFinalizationSession> BeginAsync(SqliteReportStore store, SqliteConnection connection, string runId, CancellationToken cancellationToken)
    {
        var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            var head = await SqliteReportStore.RunHeadAsync(connection, tx, runId, cancellationToken) ?? throw new ReportStoreException($"run '{runId}' does not exist");
            if (head.Status != RunStatus.Finalizing)
            {
                throw new ReportStoreException($"run '{runId}' is {head.Status.ToWire()}, not finalizing: claim it first");
            }

            var run = (await SqliteReportStore.ReadRunAsync(connection, tx, runId, cancellationToken))!;
            var previousId = await SqliteReportStore.ScalarAsync(connection, tx, """
                SELECT run_id FROM runs WHERE tenant_id = $tenant AND status IN ($completed, $incomplete) AND run_key <> $run
                ORDER BY finished_at DESC, run_id DESC LIMIT 1
                """, cancellationToken,
                ("$tenant", run.TenantId), ("$completed", RunStatus.Completed.ToWire()), ("$incomplete", RunStatus.Incomplete.ToWire()), ("$run", head.Key)) as string;
            var previous = previousId is null ? null : await SqliteReportStore.ReadRunAsync(connection, tx, previousId, cancellationToken);
            var previousKey = previousId is null ? null : await SqliteReportStore.RunKeyAsync(connection, tx, previousId, cancellationToken);
            var tenantKey = (await SqliteReportStore.TenantKeyAsync(connection, tx, run.TenantId, create: true, cancellationToken))!.Value;

            // A first run (no previous run, no finding states): every problem is new, every pass has no
            // status. Said as the rows move into place rather than by updating 600k of them afterwards.
            var first = previousId is null
                        && await SqliteReportStore.ScalarAsync(connection, tx, "SELECT 1 FROM finding_states WHERE tenant_key = $tenant LIMIT 1", cancellationToken, ("$tenant", tenantKey)) is null;

            // After a previous run, the rows move in with the status most problems then have (persisting);
            // the merge decides every finding's status and writes only those that differ (WriteAsync).
            HistoryStatus? problems = first ? HistoryStatus.New : previousId is not null ? HistoryStatus.Persisting : null;

            // The staged rows into place, sorted: the last save of a finding (or resource) wins. They stay
            // staged (a retried finalisation moves them again) until no run is open (ReleaseStageAsync).
            await SqliteReportStore.ExecuteAsync(connection, tx, """
                INSERT OR REPLACE INTO resources (run_key, resource_key, resource_id, name, type, location, subscription_id, tags)
                SELECT run_key, resource_key, resource_id, name, type, location, subscription_id, tags FROM stage.staged_resources WHERE run_key = $run ORDER BY resource_key, seq;
                INSERT OR REPLACE INTO findings (run_key, finding_id, rule_key, resource_key, outcome, status, carried, detail)
                SELECT run_key, finding_id, rule_key, resource_key, outcome, CASE WHEN outcome <> $pass THEN $problems END, 0, detail
                FROM stage.staged_findings WHERE run_key = $run ORDER BY resource_key, finding_id, seq;
                CREATE TEMP TABLE IF NOT EXISTS fin_status (resource_key INTEGER, finding_id BLOB, status INTEGER, PRIMARY KEY (resource_key, finding_id)) WITHOUT ROWID;
                CREATE TEMP TABLE IF NOT EXISTS fin_carried (resource_key INTEGER, finding_id BLOB, rule_key INTEGER, outcome INTEGER, status INTEGER, detail TEXT, PRIMARY KEY (resource_key, finding_id)) WITHOUT ROWID;
                CREATE TEMP TABLE IF NOT EXISTS fin_resources (resource_key INTEGER PRIMARY KEY, resource_id TEXT, name TEXT, type TEXT, location TEXT, subscription_id TEXT, tags TEXT);
                CREATE TEMP TABLE IF NOT EXISTS fin_states (resource_key INTEGER, finding_id BLOB, last_seen INTEGER, last_run INTEGER, last_outcome INTEGER, last_status INTEGER,
                                                            PRIMARY KEY (resource_key, finding_id)) WITHOUT ROWID;
                DELETE FROM fin_status; DELETE FROM fin_carried; DELETE FROM fin_resources; DELETE FROM fin_states;
                """, cancellationToken, ("$run", head.Key), ("$pass", (int)Outcome.Pass), ("$problems", problems is { } status ? (int)status : null));
            var runIds = await SqliteReportStore.RunIdsByKeyAsync(connection, tx, cancellationToken);
            return new SqliteFinalizationSession(store, connection, tx, run, head.Key, previous, previousKey, tenantKey, runIds, first);
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    public IAsyncEnumerable<FindingKey> CurrentAsync(CancellationToken cancellationToken) => KeysAsync(_connection, _tx, _runKey, includeCarried: false, cancellationToken);

    /// <summary>
    /// The previous run's keys, read on a connection of their own on another thread (<see cref="ReadAhead"/>)
    /// while this connection walks the current run: the merge had one core to itself and left the other idle.
    /// The previous run is committed and cannot change while this finalisation holds the write lock;
    /// the reading connection takes no lock this one holds (it only reads, and sets nothing up).
    /// </summary>
    public IAsyncEnumerable<FindingKey> PreviousAsync(CancellationToken cancellationToken) =>
        _previousKey is { } key ? PreviousKeysAsync(key, cancellationToken).ReadAheadAsync(cancellationToken) : Empty();

    private async IAsyncEnumerable<FindingKey> PreviousKeysAsync(long runKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await _store.GuardAsync(() => _store.OpenReaderAsync(cancellationToken));
        await foreach (var key in KeysAsync(reader, null, runKey, includeCarried: true, cancellationToken))
        {
            yield return key;
        }
    }

    public async IAsyncEnumerable<FindingState> StatesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = SqliteReportStore.Command(_connection, _tx, $"SELECT {SqliteReportStore.StateColumns} FROM finding_states WHERE tenant_key = $tenant ORDER BY resource_key, finding_id", ("$tenant", _tenantKey));
        var reader = await _store.GuardAsync(() => command.ExecuteReaderAsync(cancellationToken));
        await using (reader)
        {
            while (_store.Read(reader))
            {
                yield return SqliteReportStore.ReadState(reader, Run.TenantId, _runIds);
            }
        }
    }

    public Task<IReadOnlyList<StoredFinding>> GetPreviousAsync(IReadOnlyCollection<FindingKey> findings, CancellationToken cancellationToken) => _store.GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(findings);
        var result = new List<StoredFinding>(findings.Count);
        if (Previous is null || _previousKey is not { } previousKey)
        {
            return (IReadOnlyList<StoredFinding>)result;
        }

        await using var command = _store.FindingsCommand(_connection, _tx, new SqliteReportStore.RunHead(previousKey, Previous.RunId, Previous.TenantId, Previous.Status), new FindingQuery { RunId = Previous.RunId }, null, null);
        command.CommandText = command.CommandText.Replace(" ORDER BY f.resource_key, f.finding_id", " AND f.resource_key = $resource AND f.finding_id = $finding", StringComparison.Ordinal);
        var resource = command.Parameters.Add("$resource", SqliteType.Integer);
        var finding = command.Parameters.Add("$finding", SqliteType.Blob);
        var decoder = new SqliteReportStore.RowDecoder(_store, _connection, _tx, Run.TenantId);
        foreach (var key in findings)
        {
            (resource.Value, finding.Value) = SqliteReportStore.ParseOrderKey(key.OrderKey);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                result.Add(decoder.Read(reader));
            }
        }

        return (IReadOnlyList<StoredFinding>)result;
    });

    public Task WriteAsync(FinalizationBatch batch, CancellationToken cancellationToken) => _store.GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Statuses.Count > 0)
        {
            using var status = new SqliteRowStatement(_connection, "INSERT OR REPLACE INTO fin_status (resource_key, finding_id, status) VALUES (?1, ?2, ?3)");
            foreach (var update in batch.Statuses)
            {
                var (resourceKey, findingId) = SqliteReportStore.ParseOrderKey(update.OrderKey);
                status.Run(resourceKey, findingId, update.Status is { } s ? (int)s : null);
            }
        }

        if (batch.Carried.Count > 0)
        {
            using var carried = new SqliteRowStatement(_connection, """
                INSERT OR REPLACE INTO fin_carried (resource_key, finding_id, rule_key, outcome, status, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                """);
            using var resource = new SqliteRowStatement(_connection, """
                INSERT OR IGNORE INTO fin_resources (resource_key, resource_id, name, type, location, subscription_id, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """);
            foreach (var stored in batch.Carried)
            {
                var f = stored.Finding;
                var (meta, digest) = _rules.Of(f, compactPass: false);
                var ruleKey = await _store.RuleKeyAsync(_connection, _tx, meta, digest, _newRules, cancellationToken);
                var r = ResourceMeta.Of(f);
                resource.Run(r.Key, r.ResourceId, r.Name, r.ResourceType, r.Location, r.SubscriptionId, r.Tags is null ? null : StoreJson.Serialize(r.Tags.ToDictionary(t => t.Key, t => t.Value)));
                carried.Run(r.Key, FindingCodec.IdBytes(f.FindingId), ruleKey, (int)f.Outcome, stored.Status is { } s ? (int)s : null, FindingCodec.DetailJson(f, meta));
            }
        }

        if (batch.States.Count > 0)
        {
            using var state = new SqliteRowStatement(_connection, """
                INSERT OR REPLACE INTO fin_states (resource_key, finding_id, last_seen, last_run, last_outcome, last_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                """);
            foreach (var s in batch.States)
            {
                var (resourceKey, findingId) = SqliteReportStore.ParseOrderKey(s.OrderKey);
                state.Run(resourceKey, findingId, s.LastSeenAt.ToUnixTimeMilliseconds(), KeyOf(s.LastRunId), (int)s.LastOutcome, s.LastStatus is { } ls ? (int)ls : null);
            }
        }

        return true;
    });

    public Task<RunCounts?> TryMarkFirstRunAsync(CancellationToken cancellationToken) => _store.GuardAsync(async () =>
    {
        // The statuses were set as the rows moved into place (BeginAsync).
        if (!_first)
        {
            return (RunCounts?)null;
        }

        // One pass with a count per outcome: GROUP BY outcome would sort the run's 2.86M rows first (a temporary b-tree).
        var byOutcome = new long[4];
        await using (var command = SqliteReportStore.Command(_connection, _tx, """
            SELECT COUNT(*) FILTER (WHERE outcome = $pass), COUNT(*) FILTER (WHERE outcome = $fail), COUNT(*) FILTER (WHERE outcome = $error), COUNT(*) FILTER (WHERE outcome = $suppressed)
            FROM findings WHERE run_key = $run AND carried = 0
            """, ("$run", _runKey), ("$pass", (int)Outcome.Pass), ("$fail", (int)Outcome.Fail), ("$error", (int)Outcome.Error), ("$suppressed", (int)Outcome.Suppressed)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                byOutcome[(int)Outcome.Pass] = reader.GetInt64(0);
                byOutcome[(int)Outcome.Fail] = reader.GetInt64(1);
                byOutcome[(int)Outcome.Error] = reader.GetInt64(2);
                byOutcome[(int)Outcome.Suppressed] = reader.GetInt64(3);
            }
        }

        int Count(Outcome outcome) => checked((int)byOutcome[(int)outcome]);
        return new RunCounts
        {
            Total = checked((int)byOutcome.Sum()),
            Pass = Count(Outcome.Pass),
            Fail = Count(Outcome.Fail),
            Error = Count(Outcome.Error),
            Suppressed = Count(Outcome.Suppressed),
            New = Count(Outcome.Fail) + Count(Outcome.Error) + Count(Outcome.Suppressed),
        };
    });

    public Task UndoAsync(CancellationToken cancellationToken) => _store.GuardAsync(() =>
        SqliteReportStore.ExecuteAsync(_connection, _tx, "DELETE FROM fin_status; DELETE FROM fin_carried; DELETE FROM fin_resources; DELETE FROM fin_states;", cancellationToken));

    public Task<bool> CommitAsync(RunFinalization finalization, CancellationToken cancellationToken) => _store.GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(finalization);
        await SqliteReportStore.ExecuteAsync(_connection, _tx, """
            UPDATE findings SET status = t.status FROM fin_status t
            WHERE findings.run_key = $run AND findings.resource_key = t.resource_key AND findings.finding_id = t.finding_id;
            INSERT OR IGNORE INTO resources (run_key, resource_key, resource_id, name, type, location, subscription_id, tags)
            SELECT $run, resource_key, resource_id, name, type, location, subscription_id, tags FROM fin_resources;
            INSERT OR IGNORE INTO findings (run_key, finding_id, rule_key, resource_key, outcome, status, carried, detail)
            SELECT $run, finding_id, rule_key, resource_key, outcome, status, 1, detail FROM fin_carried ORDER BY resource_key, finding_id;
            INSERT OR REPLACE INTO finding_states (tenant_key, resource_key, finding_id, last_seen, last_run, last_outcome, last_status)
            SELECT $tenant, resource_key, finding_id, last_seen, last_run, last_outcome, last_status FROM fin_states ORDER BY resource_key, finding_id;
            DELETE FROM fin_status; DELETE FROM fin_carried; DELETE FROM fin_resources; DELETE FROM fin_states;
            """, cancellationToken, ("$run", _runKey), ("$tenant", _tenantKey));
        await SqliteReportStore.ExecuteAsync(_connection, _tx, """
            UPDATE runs SET status = $status, finished_at = $finished, previous_run_id = $previous, counts = $counts, suspect_reason = $suspect,
                            changes_accepted = $accepted, claimed_at = NULL, version = version + 1
            WHERE run_key = $run
            """, cancellationToken,
            ("$status", finalization.Status.ToWire()), ("$finished", IsoTime.Sortable(finalization.FinishedAt)), ("$previous", finalization.PreviousRunId),
            ("$counts", StoreJson.Serialize(finalization.Counts)), ("$suspect", finalization.SuspectReason), ("$accepted", finalization.ChangesAccepted ? 1 : 0), ("$run", _runKey));
        await _tx.CommitAsync(cancellationToken);
        _done = true;
        _store.Remember(_newRules);
        await _store.ReleaseStageAsync(_connection, cancellationToken);
        return true;
    });

    public async ValueTask DisposeAsync()
    {
        if (!_done)
        {
            try
            {
                await _tx.RollbackAsync();
            }
            catch (SqliteException)
            {
                // The transaction is gone already (the connection broke): nothing was committed.
            }
        }

        await _tx.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>Run keys for state rows; a pruned run's placeholder ("#12") keeps its number.</summary>
    private long KeyOf(string runId) =>
        _runKeys.TryGetValue(runId, out var key) ? key
        : runId.StartsWith('#') && long.TryParse(runId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out key) ? key
        : throw new ReportStoreException($"run '{runId}' of a finding state is not in the store");

#pragma warning disable CS1998 // SQLite reads synchronously: the stream is async for the finaliser's sake
    private async IAsyncEnumerable<FindingKey> KeysAsync(SqliteConnection connection, SqliteTransaction? tx, long runKey, bool includeCarried, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scopes = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cursor = _store.Guard(() => new SqliteRunCursor(connection, runKey, includeCarried, withDetail: false));

        // Rows come by resource: the findings of one resource share its strings.
        string? resourceId = null, type = null, subscription = null, scope = null;
        while (_store.Guard(cursor.Read))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var f = cursor.Finding;
            var rule = _store.Rule(connection, tx, f.Int64(1));
            if (resourceId is null || cursor.NewResource)
            {
                resourceId = cursor.Resource.Text(1)!;
                type = cursor.Resource.Text(3)!;
                subscription = cursor.Resource.Text(5);
                scope = null;
            }

            // The scope is the resource's, except for a collection error (its own scope).
            var findingScope = rule.RuleId == Core.Evaluation.ScanEngine.CollectionRuleId
                ? Scope(scopes, rule.RuleId, resourceId, type!, subscription)
                : scope ??= Scope(scopes, rule.RuleId, resourceId, type!, subscription);
            var orderKey = SqliteReportStore.OrderKey(cursor.ResourceKey, f.Blob(0));
            yield return new FindingKey(
                orderKey[16..],
                rule.RuleId,
                rule.PackId,
                resourceId,
                findingScope,
                (Outcome)f.Int32(2),
                rule.Severity,
                f.IsNull(3) ? null : (HistoryStatus)f.Int32(3),
                f.Int64(4) != 0,
                orderKey);
        }
    }
#pragma warning restore CS1998

    /// <summary>The scope of a finding (<see cref="FindingScopes"/>), its text shared by the findings of a subscription.</summary>
    private string Scope(Dictionary<string, string> scopes, string ruleId, string resourceId, string type, string? storedSubscription)
    {
        var subscription = storedSubscription ?? Core.Snapshots.ResourceIds.SubscriptionOf(resourceId);
        if (subscription is not { Length: > 0 } || ruleId == Core.Evaluation.ScanEngine.CollectionRuleId)
        {
            return FindingScopes.ScopeOf(ruleId, resourceId, type, subscription, Run.TenantId);
        }

        if (!scopes.TryGetValue(subscription, out var scope))
        {
            scopes[subscription] = scope = FindingScopes.ScopeOf(ruleId, resourceId, type, subscription, Run.TenantId);
        }

        return scope;
    }

#pragma warning disable CS1998 // an empty stream
    private static async IAsyncEnumerable<FindingKey> Empty()
    {
        yield break;
    }
#pragma warning restore CS1998
}
