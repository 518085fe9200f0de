using System.Globalization;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Suppressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Store.Sqlite;

/// <summary>
/// The embedded report store: one SQLite file (WAL mode). Each operation opens a pooled connection;
/// writes run in immediate transactions, so concurrent writers (two scopes finishing at once)
/// serialise, and the finalisation claim is a single conditional UPDATE.
/// </summary>
public sealed class SqliteReportStore : IReportStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private bool _initialized;

    public SqliteReportStore(IOptions<SqliteStoreOptions> options)
    {
        var path = Path.GetFullPath(options.Value.Path);
        DatabasePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.Value.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    public string DatabasePath { get; }

    public async Task<RunRecord> CreateRunAsync(RunStart run, CancellationToken cancellationToken = default)
    {
        RunIds.Validate(run.RunId);
        await using var connection = await OpenAsync(cancellationToken);
        await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            var inserted = await ExecuteAsync(connection, tx, """
                INSERT INTO runs (run_id, tenant_id, started_at, status, trigger, packs, rule_ids)
                VALUES ($id, $tenant, $started, $status, $trigger, $packs, $rules)
                ON CONFLICT (run_id) DO NOTHING
                """, cancellationToken,
                ("$id", run.RunId), ("$tenant", run.TenantId), ("$started", StoreJson.Time(run.StartedAt)),
                ("$status", StoreJson.Wire(RunStatus.Running)), ("$trigger", run.Trigger),
                ("$packs", StoreJson.Serialize(run.Packs.ToList())), ("$rules", StoreJson.Serialize(run.RuleIds.ToList())));
            if (inserted == 1)
            {
                var ordinal = 0;
                foreach (var scope in run.ExpectedScopes.DistinctBy(s => ScopeKey(s.Id)))
                {
                    await ExecuteAsync(connection, tx, """
                        INSERT INTO run_scopes (run_id, scope_key, scope_id, display_name, status, ordinal)
                        VALUES ($run, $key, $id, $name, $status, $ordinal)
                        """, cancellationToken,
                        ("$run", run.RunId), ("$key", ScopeKey(scope.Id)), ("$id", scope.Id), ("$name", scope.DisplayName),
                        ("$status", StoreJson.Wire(ScopeStatus.Pending)), ("$ordinal", ordinal++));
                }
            }

            await tx.CommitAsync(cancellationToken);
        }

        return await ReadRunAsync(connection, run.RunId, cancellationToken) ?? throw new ReportStoreException($"run '{run.RunId}' vanished after it was created");
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadRunAsync(connection, runId, cancellationToken);
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var ids = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            var where = new List<string>();
            if (query.TenantId is not null)
            {
                where.Add("tenant_id = $tenant");
                command.Parameters.AddWithValue("$tenant", query.TenantId);
            }

            if (query.StartedBefore is { } before)
            {
                where.Add("started_at < $before");
                command.Parameters.AddWithValue("$before", StoreJson.Time(before));
            }

            if (query.Statuses.Count > 0)
            {
                where.Add($"status IN ({InList(command, "$s", query.Statuses.Select(s => StoreJson.Wire(s)))})");
            }

            command.CommandText = "SELECT run_id FROM runs" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty) +
                                  " ORDER BY started_at DESC, run_id DESC LIMIT $limit";
            command.Parameters.AddWithValue("$limit", Math.Max(0, query.Limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }

        var runs = new List<RunRecord>(ids.Count);
        foreach (var id in ids)
        {
            if (await ReadRunAsync(connection, id, cancellationToken) is { } run)
            {
                runs.Add(run);
            }
        }

        return runs;
    }

    public async Task SaveFindingsAsync(string runId, string scopeId, IReadOnlyList<Finding> findings, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await RequireOpenRunAsync(connection, tx, runId, cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO findings (run_id, finding_id, scope_id, rule_id, pack_id, resource_id, outcome, severity, carried, json)
            VALUES ($run, $id, $scope, $rule, $pack, $resource, $outcome, $severity, 0, $json)
            ON CONFLICT (run_id, finding_id) DO UPDATE SET
                scope_id = excluded.scope_id, rule_id = excluded.rule_id, pack_id = excluded.pack_id,
                resource_id = excluded.resource_id, outcome = excluded.outcome, severity = excluded.severity,
                carried = 0, json = excluded.json
            """;
        var p = Parameters(command, "$run", "$id", "$scope", "$rule", "$pack", "$resource", "$outcome", "$severity", "$json");
        foreach (var finding in findings)
        {
            Set(p, runId, finding.FindingId, scopeId, finding.RuleId, finding.PackId, finding.ResourceId, finding.Outcome.ToWire(), finding.Severity.ToWire(), FindingJson.Serialize(finding));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<RunRecord> CompleteScopeAsync(string runId, ScopeCompletion completion, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            await RequireOpenRunAsync(connection, tx, runId, cancellationToken);
            await ExecuteAsync(connection, tx, """
                INSERT INTO run_scopes (run_id, scope_key, scope_id, display_name, status, error, completed_at, ordinal)
                VALUES ($run, $key, $id, $name, $status, $error, $at, (SELECT COUNT(*) FROM run_scopes WHERE run_id = $run))
                ON CONFLICT (run_id, scope_key) DO UPDATE SET
                    status = excluded.status, error = excluded.error, completed_at = excluded.completed_at,
                    display_name = COALESCE(excluded.display_name, run_scopes.display_name)
                """, cancellationToken,
                ("$run", runId), ("$key", ScopeKey(completion.ScopeId)), ("$id", completion.ScopeId), ("$name", completion.DisplayName),
                ("$status", StoreJson.Wire(completion.Status)), ("$error", completion.Error), ("$at", StoreJson.Time(completion.CompletedAt)));
            await tx.CommitAsync(cancellationToken);
        }

        return (await ReadRunAsync(connection, runId, cancellationToken))!;
    }

    public async Task<bool> TryClaimFinalizationAsync(string runId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var claimed = await ExecuteAsync(connection, null, """
            UPDATE runs SET status = $finalizing, claimed_at = $now
            WHERE run_id = $id AND (status = $running OR (status = $finalizing AND claimed_at <= $stale))
            """, cancellationToken,
            ("$id", runId), ("$now", StoreJson.Time(now)), ("$stale", StoreJson.Time(now - lease)),
            ("$running", StoreJson.Wire(RunStatus.Running)), ("$finalizing", StoreJson.Wire(RunStatus.Finalizing)));
        if (claimed == 0 && await ReadRunAsync(connection, runId, cancellationToken) is null)
        {
            throw new ReportStoreException($"run '{runId}' does not exist");
        }

        return claimed == 1;
    }

    public async Task<IReadOnlyList<FindingKey>> ListFindingKeysAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT finding_id, rule_id, pack_id, resource_id, scope_id, outcome, severity, history_status, carried
            FROM findings WHERE run_id = $run ORDER BY finding_id
            """;
        command.Parameters.AddWithValue("$run", runId);
        var keys = new List<FindingKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new FindingKey(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                StoreJson.ParseEnum<Outcome>(reader.GetString(5)), StoreJson.ParseEnum<Severity>(reader.GetString(6)),
                reader.IsDBNull(7) ? null : StoreJson.ParseEnum<HistoryStatus>(reader.GetString(7)), reader.GetInt64(8) != 0));
        }

        return keys;
    }

    public async Task<IReadOnlyList<StoredFinding>> GetFindingsAsync(string runId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var result = new List<StoredFinding>();
        foreach (var chunk in findingIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {FindingColumns} FROM findings WHERE run_id = $run AND finding_id IN ({InList(command, "$f", chunk)}) ORDER BY finding_id";
            command.Parameters.AddWithValue("$run", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(ReadFinding(reader));
            }
        }

        return result;
    }

    public async Task<FindingPage> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 5000);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new List<string> { "run_id = $run" };
        command.Parameters.AddWithValue("$run", query.RunId);
        if (query.ContinuationToken is not null)
        {
            where.Add("finding_id > $after");
            command.Parameters.AddWithValue("$after", query.ContinuationToken);
        }

        if (query.Statuses.Count > 0)
        {
            where.Add($"history_status IN ({InList(command, "$st", query.Statuses.Select(s => StoreJson.Wire(s)))})");
        }

        if (query.Severities.Count > 0)
        {
            where.Add($"severity IN ({InList(command, "$sv", query.Severities.Select(s => s.ToWire()))})");
        }

        if (query.Outcomes.Count > 0)
        {
            where.Add($"outcome IN ({InList(command, "$o", query.Outcomes.Select(o => o.ToWire()))})");
        }

        if (query.Categories.Count > 0)
        {
            where.Add($"json_extract(json, '$.category') IN ({InList(command, "$c", query.Categories.Select(c => c.ToWire()))})");
        }

        if (!query.IncludeCarried)
        {
            where.Add("carried = 0");
        }

        command.CommandText = $"SELECT {FindingColumns} FROM findings WHERE {string.Join(" AND ", where)} ORDER BY finding_id LIMIT $limit";
        command.Parameters.AddWithValue("$limit", pageSize + 1);
        var findings = new List<StoredFinding>(pageSize);
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (findings.Count == pageSize)
            {
                more = true;
                break;
            }

            findings.Add(ReadFinding(reader));
        }

        return new FindingPage(findings, more ? findings[^1].Finding.FindingId : null);
    }

    public async Task<IReadOnlyDictionary<string, FindingState>> GetFindingStatesAsync(string tenantId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var result = new Dictionary<string, FindingState>(StringComparer.Ordinal);
        foreach (var chunk in findingIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT json FROM finding_states WHERE tenant_id = $tenant AND finding_id IN ({InList(command, "$f", chunk)})";
            command.Parameters.AddWithValue("$tenant", tenantId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var state = StoreJson.Deserialize<FindingState>(reader.GetString(0));
                result[state.FindingId] = state;
            }
        }

        return result;
    }

    public async Task FinalizeRunAsync(RunFinalization finalization, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var run = await ReadRunAsync(connection, finalization.RunId, cancellationToken, tx) ?? throw new ReportStoreException($"run '{finalization.RunId}' does not exist");

        await using (var update = connection.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = "UPDATE findings SET history_status = $status WHERE run_id = $run AND finding_id = $id AND carried = 0";
            var p = Parameters(update, "$status", "$run", "$id");
            foreach (var status in finalization.Statuses)
            {
                Set(p, status.Status is { } s ? StoreJson.Wire(s) : null, finalization.RunId, status.FindingId);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;

            // A carried finding never replaces one the run evaluated.
            insert.CommandText = """
                INSERT INTO findings (run_id, finding_id, scope_id, rule_id, pack_id, resource_id, outcome, severity, history_status, carried, json)
                VALUES ($run, $id, $scope, $rule, $pack, $resource, $outcome, $severity, $status, 1, $json)
                ON CONFLICT (run_id, finding_id) DO UPDATE SET
                    scope_id = excluded.scope_id, outcome = excluded.outcome, history_status = excluded.history_status, json = excluded.json
                WHERE findings.carried = 1
                """;
            var p = Parameters(insert, "$run", "$id", "$scope", "$rule", "$pack", "$resource", "$outcome", "$severity", "$status", "$json");
            foreach (var carried in finalization.Carried)
            {
                var f = carried.Finding;
                Set(p, finalization.RunId, f.FindingId, carried.ScopeId, f.RuleId, f.PackId, f.ResourceId, f.Outcome.ToWire(), f.Severity.ToWire(),
                    carried.Status is { } s ? StoreJson.Wire(s) : null, FindingJson.Serialize(f));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = tx;
            upsert.CommandText = """
                INSERT INTO finding_states (tenant_id, finding_id, last_run_id, last_seen_at, json) VALUES ($tenant, $id, $run, $seen, $json)
                ON CONFLICT (tenant_id, finding_id) DO UPDATE SET last_run_id = excluded.last_run_id, last_seen_at = excluded.last_seen_at, json = excluded.json
                """;
            var p = Parameters(upsert, "$tenant", "$id", "$run", "$seen", "$json");
            foreach (var state in finalization.States)
            {
                Set(p, state.TenantId, state.FindingId, state.LastRunId, StoreJson.Time(state.LastSeenAt), StoreJson.Serialize(state));
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await ExecuteAsync(connection, tx, """
            UPDATE runs SET status = $status, finished_at = $finished, previous_run_id = $previous, counts = $counts, claimed_at = NULL
            WHERE run_id = $run
            """, cancellationToken,
            ("$status", StoreJson.Wire(finalization.Status)), ("$finished", StoreJson.Time(finalization.FinishedAt)),
            ("$previous", finalization.PreviousRunId), ("$counts", StoreJson.Serialize(finalization.Counts)), ("$run", run.RunId));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> TryRecordNotificationAsync(string runId, string channel, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await ReadRunAsync(connection, runId, cancellationToken, tx) is null)
        {
            throw new ReportStoreException($"run '{runId}' does not exist");
        }

        var inserted = await ExecuteAsync(connection, tx, "INSERT OR IGNORE INTO notifications (run_id, channel, recorded_at) VALUES ($run, $channel, $at)", cancellationToken,
            ("$run", runId), ("$channel", channel), ("$at", StoreJson.Time(at)));
        await tx.CommitAsync(cancellationToken);
        return inserted == 1;
    }

    public async Task RecordNotificationResultAsync(string runId, string channel, NotificationStatus status, string? detail, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var updated = await ExecuteAsync(connection, null, "UPDATE notifications SET status = $status, detail = $detail, completed_at = $at WHERE run_id = $run AND channel = $channel", cancellationToken,
            ("$status", StoreJson.Wire(status)), ("$detail", detail), ("$at", StoreJson.Time(at)), ("$run", runId), ("$channel", channel));
        if (updated == 0)
        {
            throw new ReportStoreException($"run '{runId}' has no '{channel}' notification recorded");
        }
    }

    public async Task<IReadOnlyList<Suppression>> ListSuppressionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, "SELECT json FROM suppressions ORDER BY id",
            reader => StoreJson.Deserialize<Suppression>(reader.GetString(0)), cancellationToken);
    }

    public async Task UpsertSuppressionAsync(Suppression suppression, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "INSERT INTO suppressions (id, json) VALUES ($id, $json) ON CONFLICT (id) DO UPDATE SET json = excluded.json", cancellationToken,
            ("$id", suppression.Id), ("$json", StoreJson.Serialize(suppression)));
    }

    public async Task<bool> DeleteSuppressionAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "DELETE FROM suppressions WHERE id = $id", cancellationToken, ("$id", id)) == 1;
    }

    public async Task<PruneResult> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, tx, """
            CREATE TEMP TABLE IF NOT EXISTS prune_runs (run_id TEXT PRIMARY KEY);
            DELETE FROM prune_runs;
            INSERT INTO prune_runs (run_id)
            SELECT r.run_id FROM runs r
            WHERE r.started_at < $cutoff
              AND r.run_id NOT IN (
                  SELECT (SELECT l.run_id FROM runs l WHERE l.tenant_id = t.tenant_id AND l.status IN ($completed, $incomplete)
                          ORDER BY l.started_at DESC, l.run_id DESC LIMIT 1)
                  FROM (SELECT DISTINCT tenant_id FROM runs) t)
            """, cancellationToken,
            ("$cutoff", StoreJson.Time(cutoff)), ("$completed", StoreJson.Wire(RunStatus.Completed)), ("$incomplete", StoreJson.Wire(RunStatus.Incomplete)));
        var findings = await ExecuteAsync(connection, tx, "DELETE FROM findings WHERE run_id IN (SELECT run_id FROM prune_runs)", cancellationToken);
        await ExecuteAsync(connection, tx, "DELETE FROM run_scopes WHERE run_id IN (SELECT run_id FROM prune_runs)", cancellationToken);
        await ExecuteAsync(connection, tx, "DELETE FROM notifications WHERE run_id IN (SELECT run_id FROM prune_runs)", cancellationToken);
        var runs = await ExecuteAsync(connection, tx, "DELETE FROM runs WHERE run_id IN (SELECT run_id FROM prune_runs)", cancellationToken);
        var states = await ExecuteAsync(connection, tx, """
            DELETE FROM finding_states WHERE last_seen_at < $cutoff AND last_run_id NOT IN (SELECT run_id FROM runs)
            """, cancellationToken, ("$cutoff", StoreJson.Time(cutoff)));
        await ExecuteAsync(connection, tx, "DROP TABLE prune_runs", cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new PruneResult(runs, findings, states);
    }

    private const string FindingColumns = "json, scope_id, history_status, carried";

    private static StoredFinding ReadFinding(SqliteDataReader reader) => new(
        FindingJson.Deserialize(reader.GetString(0)) ?? throw new ReportStoreException("a stored finding is null"),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : StoreJson.ParseEnum<HistoryStatus>(reader.GetString(2)),
        reader.GetInt64(3) != 0);

    private static string ScopeKey(string scopeId) => scopeId.ToLowerInvariant();

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            if (!_initialized)
            {
                await _initLock.WaitAsync(cancellationToken);
                try
                {
                    if (!_initialized)
                    {
                        var directory = Path.GetDirectoryName(DatabasePath);
                        if (!string.IsNullOrEmpty(directory))
                        {
                            Directory.CreateDirectory(directory);
                        }

                        await connection.OpenAsync(cancellationToken);
                        await ExecuteAsync(connection, null, SqliteSchema.Create, cancellationToken);
                        await SqliteSchema.UpgradeAsync(connection, cancellationToken);
                        await CheckVersionAsync(connection, cancellationToken);
                        await SetSynchronousAsync(connection, cancellationToken);
                        _initialized = true;
                        return connection;
                    }
                }
                finally
                {
                    _initLock.Release();
                }
            }

            await connection.OpenAsync(cancellationToken);
            await SetSynchronousAsync(connection, cancellationToken);
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new ReportStoreException($"cannot open the report store {DatabasePath}: {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// With the write-ahead log, NORMAL is durable across a crash of the process (a power loss may
    /// drop the last commits) and avoids a disk flush on every commit, which dominates large scans.
    /// The setting belongs to each connection.
    /// </summary>
    private static Task SetSynchronousAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, null, "PRAGMA synchronous = NORMAL", cancellationToken);

    private async Task CheckVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM store_info WHERE key = 'schemaVersion'";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.Version)
        {
            throw new ReportStoreException($"the report store {DatabasePath} was written by a newer version of the tool (schema {version}; this one reads {SqliteSchema.Version})");
        }
    }

    private static async Task RequireOpenRunAsync(SqliteConnection connection, SqliteTransaction tx, string runId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT status FROM runs WHERE run_id = $id";
        command.Parameters.AddWithValue("$id", runId);
        var status = await command.ExecuteScalarAsync(cancellationToken) as string;
        if (status is null)
        {
            throw new ReportStoreException($"run '{runId}' does not exist");
        }

        if (StoreJson.ParseEnum<RunStatus>(status) is RunStatus.Completed or RunStatus.Incomplete)
        {
            throw new ReportStoreException($"run '{runId}' is already finalised; its findings and scopes can no longer change");
        }
    }

    private static async Task<RunRecord?> ReadRunAsync(SqliteConnection connection, string runId, CancellationToken cancellationToken, SqliteTransaction? tx = null)
    {
        RunRecord run;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = tx;
            command.CommandText = """
                SELECT run_id, tenant_id, started_at, finished_at, status, claimed_at, previous_run_id, trigger, packs, rule_ids, counts
                FROM runs WHERE run_id = $id
                """;
            command.Parameters.AddWithValue("$id", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            run = new RunRecord
            {
                RunId = reader.GetString(0),
                TenantId = reader.GetString(1),
                StartedAt = StoreJson.ParseTime(reader.GetString(2)),
                FinishedAt = reader.IsDBNull(3) ? null : StoreJson.ParseTime(reader.GetString(3)),
                Status = StoreJson.ParseEnum<RunStatus>(reader.GetString(4)),
                FinalizationClaimedAt = reader.IsDBNull(5) ? null : StoreJson.ParseTime(reader.GetString(5)),
                PreviousRunId = reader.IsDBNull(6) ? null : reader.GetString(6),
                Trigger = reader.IsDBNull(7) ? null : reader.GetString(7),
                Packs = StoreJson.Deserialize<List<PackInfo>>(reader.GetString(8)),
                RuleIds = StoreJson.Deserialize<List<string>>(reader.GetString(9)),
                Counts = reader.IsDBNull(10) ? null : StoreJson.Deserialize<RunCounts>(reader.GetString(10)),
            };
        }

        var scopes = await QueryAsync(
            connection,
            tx,
            "SELECT scope_id, display_name, status, error, completed_at FROM run_scopes WHERE run_id = $id ORDER BY ordinal, scope_key",
            reader => new RunScope(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                StoreJson.ParseEnum<ScopeStatus>(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : StoreJson.ParseTime(reader.GetString(4))),
            cancellationToken,
            ("$id", runId));

        var notifications = await QueryAsync(
            connection,
            tx,
            "SELECT channel, recorded_at, status, detail, completed_at FROM notifications WHERE run_id = $id ORDER BY channel",
            reader => new RunNotification(
                reader.GetString(0),
                StoreJson.ParseTime(reader.GetString(1)),
                reader.IsDBNull(2) ? NotificationStatus.Claimed : StoreJson.ParseEnum<NotificationStatus>(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : StoreJson.ParseTime(reader.GetString(4))),
            cancellationToken,
            ("$id", runId));

        return run with { Scopes = scopes, Notifications = notifications };
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<T>> QueryAsync<T>(
        SqliteConnection connection,
        SqliteTransaction? tx,
        string sql,
        Func<SqliteDataReader, T> read,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static string InList(SqliteCommand command, string prefix, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = prefix + names.Count.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, value);
            names.Add(name);
        }

        return names.Count == 0 ? "NULL" : string.Join(", ", names);
    }

    private static SqliteParameter[] Parameters(SqliteCommand command, params string[] names) =>
        names.Select(n => command.Parameters.Add(n, SqliteType.Text)).ToArray();

    private static void Set(SqliteParameter[] parameters, params object?[] values)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
