using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Sqlite;

/// <summary>
/// The embedded report store: one SQLite file (WAL mode, schema <see cref="SqliteSchema.Version"/>).
/// Each operation opens a pooled connection; writes run in immediate transactions with prepared
/// statements, so concurrent writers serialise. Every SQLite failure becomes a
/// <see cref="ReportStoreException"/> that says what happened to which file (locked, full, read-only).
/// </summary>
public sealed class SqliteReportStore : IReportStore
{
    private readonly string _connectionString;
    private readonly SqliteStoreOptions _options;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private readonly RuleMetaCache _ruleCache = new();
    private readonly ConcurrentDictionary<string, long> _ruleKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, RuleMeta> _rules = new();
    private volatile bool _initialized;
    private string? _immutableConnectionString;

    public SqliteReportStore(IOptions<SqliteStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var path = Path.GetFullPath(_options.Path);
        DatabasePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = _options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    public string DatabasePath { get; }

    public bool ReadOnly => _options.ReadOnly;

    /// <summary>The staging file beside the store: findings of runs still recording.</summary>
    public string StagePath => DatabasePath + "-stage";

    /// <summary>
    /// Empties the staging file once no run of the store is open, so that it takes no room between
    /// scans. A scan still recording in another process keeps it as it is.
    /// </summary>
    internal async Task ReleaseStageAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            // One write transaction over both files: a run that opens meanwhile stages after the rows are gone.
            await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
            {
                var open = Convert.ToInt64(await ScalarAsync(connection, tx, "SELECT COUNT(*) FROM runs WHERE status IN ('running', 'finalizing')", cancellationToken), CultureInfo.InvariantCulture);

                // Without a WHERE, SQLite drops the tables' pages at once instead of deleting row by row;
                // with runs still open (another scan, or one that died and is not yet abandoned), only the others' rows go.
                await ExecuteAsync(connection, tx, open == 0
                    ? "DELETE FROM stage.staged_findings; DELETE FROM stage.staged_resources;"
                    : """
                      DELETE FROM stage.staged_findings WHERE run_key NOT IN (SELECT run_key FROM runs WHERE status IN ('running', 'finalizing'));
                      DELETE FROM stage.staged_resources WHERE run_key NOT IN (SELECT run_key FROM runs WHERE status IN ('running', 'finalizing'));
                      """, cancellationToken);
                await tx.CommitAsync(cancellationToken);
                if (open > 0)
                {
                    return;
                }
            }

            await ExecuteAsync(connection, null, "VACUUM stage", cancellationToken);
        }
        catch (SqliteException)
        {
            // Housekeeping only: another scan started meanwhile and holds the staging file; it is emptied after that one.
        }
    }

    // ---- runs ------------------------------------------------------------------------------------

    public Task<RunRecord> CreateRunAsync(RunStart run, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(run);
        RunIds.Validate(run.RunId);
        await using var connection = await OpenAsync(cancellationToken);
        await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            var inserted = await ExecuteAsync(connection, tx, """
                INSERT INTO runs (run_id, tenant_id, started_at, status, trigger, packs, rule_ids, provenance)
                VALUES ($id, $tenant, $started, $status, $trigger, $packs, $rules, $provenance)
                ON CONFLICT (run_id) DO NOTHING
                """, cancellationToken,
                ("$id", run.RunId), ("$tenant", run.TenantId), ("$started", IsoTime.Sortable(run.StartedAt)),
                ("$status", RunStatus.Running.ToWire()), ("$trigger", run.Trigger),
                ("$packs", StoreJson.Serialize(run.Packs.ToList())), ("$rules", StoreJson.Serialize(run.RuleIds.ToList())),
                ("$provenance", StoreJson.Serialize(run.Provenance)));
            if (inserted == 1)
            {
                var runKey = await RunKeyAsync(connection, tx, run.RunId, cancellationToken);
                await using var insert = Command(connection, tx, """
                    INSERT INTO run_scopes (run_key, scope_key, scope_id, display_name, status, ordinal)
                    VALUES ($run, $key, $id, $name, $status, $ordinal) ON CONFLICT DO NOTHING
                    """);
                var p = Parameters(insert, "$run", "$key", "$id", "$name", "$status", "$ordinal");
                var ordinal = 0;
                foreach (var scope in run.ExpectedScopes)
                {
                    Set(p, runKey, ScopeKey(scope.Id), scope.Id, scope.DisplayName, ScopeStatus.Pending.ToWire(), ordinal++);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await tx.CommitAsync(cancellationToken);
        }

        return await ReadRunAsync(connection, null, run.RunId, cancellationToken) ?? throw new ReportStoreException($"run '{run.RunId}' vanished after it was created");
    });

    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadRunAsync(connection, null, runId, cancellationToken);
    });

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(query);
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
                command.Parameters.AddWithValue("$before", IsoTime.Sortable(before));
            }

            if (query.Statuses.Count > 0)
            {
                where.Add($"status IN ({InList(command, "$s", query.Statuses.Select(s => s.ToWire()))})");
            }

            var order = query.Order == RunOrder.LatestFinished
                ? "finished_at IS NULL, finished_at DESC, run_id DESC"
                : "started_at DESC, run_id DESC";
            command.CommandText = "SELECT run_id FROM runs" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty) + $" ORDER BY {order} LIMIT $limit";
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
            if (await ReadRunAsync(connection, null, id, cancellationToken) is { } run)
            {
                runs.Add(run);
            }
        }

        return (IReadOnlyList<RunRecord>)runs;
    });

    public Task<bool> TryUpdateRunAsync(string runId, string expectedVersion, RunChange change, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!long.TryParse(expectedVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        await using var connection = await OpenAsync(cancellationToken);
        var sets = new List<string> { "version = version + 1" };
        var parameters = new List<(string, object?)> { ("$id", runId), ("$version", version) };
        if (change.Status is { } status)
        {
            sets.Add("status = $status");
            parameters.Add(("$status", status.ToWire()));
        }

        if (change.ClaimedAt is { } claimed)
        {
            sets.Add("claimed_at = $claimed");
            parameters.Add(("$claimed", IsoTime.Sortable(claimed)));
        }
        else if (change.ClearClaim)
        {
            sets.Add("claimed_at = NULL");
        }

        if (change.FinishedAt is { } finished)
        {
            sets.Add("finished_at = $finished");
            parameters.Add(("$finished", IsoTime.Sortable(finished)));
        }

        if (change.AbandonedReason is { } reason)
        {
            sets.Add("abandoned_reason = $abandoned");
            parameters.Add(("$abandoned", reason));
        }

        if (change.Provenance is { } provenance)
        {
            sets.Add("provenance = $provenance");
            parameters.Add(("$provenance", StoreJson.Serialize(provenance)));
        }

        return await ExecuteAsync(connection, null, $"UPDATE runs SET {string.Join(", ", sets)} WHERE run_id = $id AND version = $version", cancellationToken, [.. parameters]) == 1;
    });

    // ---- findings --------------------------------------------------------------------------------

    public Task SaveFindingsAsync(string runId, IReadOnlyList<Finding> findings, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(findings);
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var runKey = await RequireRunningAsync(connection, tx, runId, cancellationToken);
        using var finding = new SqliteRowStatement(connection, """
            INSERT INTO stage.staged_findings (run_key, finding_id, rule_key, resource_key, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """);
        using var resource = new SqliteRowStatement(connection, """
            INSERT INTO stage.staged_resources (run_key, resource_key, resource_id, name, type, location, subscription_id, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """);
        var written = new HashSet<long>();
        var newRules = new Dictionary<string, (long Key, RuleMeta Meta)>(StringComparer.Ordinal);
        string? lastResource = null;
        long resourceKey = 0;

        // A detail goes to SQLite as the UTF-8 the serializer writes, through one buffer, no string made.
        var detail = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(detail, StoreJson.WriterOptions);
        var id = new byte[16];
        foreach (var f in findings)
        {
            var compact = FindingCodec.IsCompactPass(f);
            var (meta, digest) = _ruleCache.Of(f, compact);
            var ruleKey = TryKnownRuleKey(digest, newRules, out var known) ? known : await RuleKeyAsync(connection, tx, meta, digest, newRules, cancellationToken);

            // The engine gives the findings of a resource one after another.
            if (!ReferenceEquals(f.ResourceId, lastResource) && f.ResourceId != lastResource)
            {
                lastResource = f.ResourceId;
                resourceKey = ResourceMeta.KeyOf(f.ResourceId);
            }

            if (written.Add(resourceKey))
            {
                var r = ResourceMeta.Of(f);
                resource.Run(runKey, resourceKey, r.ResourceId, r.Name, r.ResourceType, r.Location, r.SubscriptionId, r.Tags is null ? null : StoreJson.Serialize(r.Tags as Dictionary<string, string> ?? r.Tags.ToDictionary(t => t.Key, t => t.Value)));
            }

            finding.Bind(1, runKey).BindBlob(2, FindingCodec.IdBytes(f.FindingId, id)).Bind(3, ruleKey).Bind(4, resourceKey).Bind(5, (int)f.Outcome);
            detail.ResetWrittenCount();
            json.Reset(detail);
            if (!compact && FindingCodec.WriteDetail(json, f, meta))
            {
                json.Flush();
                finding.BindText(6, detail.WrittenSpan);
            }
            else
            {
                finding.BindNull(6);
            }

            finding.Step();
        }

        await tx.CommitAsync(cancellationToken);
        Remember(newRules);
    });

    public Task<RunRecord> CompleteScopesAsync(string runId, IReadOnlyList<ScopeCompletion> completions, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(completions);
        await using var connection = await OpenAsync(cancellationToken);
        await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            var runKey = await RequireRunningAsync(connection, tx, runId, cancellationToken);
            var next = Convert.ToInt64(await ScalarAsync(connection, tx, "SELECT COALESCE(MAX(ordinal) + 1, 0) FROM run_scopes WHERE run_key = $run", cancellationToken, ("$run", runKey)), CultureInfo.InvariantCulture);

            // The worst status wins: a scope reported ok after an error stays an error (with its reason).
            await using var upsert = Command(connection, tx, """
                INSERT INTO run_scopes (run_key, scope_key, scope_id, display_name, status, error, completed_at, collected_at, resources, sha256, ordinal)
                VALUES ($run, $key, $id, $name, $status, $error, $at, $collected, $resources, $sha, $ordinal)
                ON CONFLICT (run_key, scope_key) DO UPDATE SET
                    status = CASE WHEN run_scopes.status = 'error' THEN 'error' ELSE excluded.status END,
                    error = CASE WHEN run_scopes.status = 'error' AND excluded.status = 'error' AND run_scopes.error <> excluded.error THEN run_scopes.error || '; ' || excluded.error
                                 WHEN run_scopes.status = 'error' THEN run_scopes.error ELSE excluded.error END,
                    completed_at = excluded.completed_at,
                    display_name = COALESCE(run_scopes.display_name, excluded.display_name),
                    collected_at = COALESCE(excluded.collected_at, run_scopes.collected_at),
                    resources = COALESCE(excluded.resources, run_scopes.resources),
                    sha256 = COALESCE(excluded.sha256, run_scopes.sha256)
                """);
            var p = Parameters(upsert, "$run", "$key", "$id", "$name", "$status", "$error", "$at", "$collected", "$resources", "$sha", "$ordinal");
            foreach (var c in completions)
            {
                Set(p, runKey, ScopeKey(c.ScopeId), c.ScopeId, c.DisplayName, c.Status.ToWire(), c.Error, IsoTime.Sortable(c.CompletedAt),
                    c.CollectedAt is { } collected ? IsoTime.Sortable(collected) : null, c.Resources, c.SnapshotSha256, next++);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }

        return (await ReadRunAsync(connection, null, runId, cancellationToken))!;
    });

    public async IAsyncEnumerable<StoredFinding> ReadFindingsAsync(FindingQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await GuardAsync(() => OpenAsync(cancellationToken));
        var run = await GuardAsync(() => RunHeadAsync(connection, null, query.RunId, cancellationToken));
        if (run is null)
        {
            yield break;
        }

        var decoder = new RowDecoder(this, connection, null, run.Value.TenantId);
        if (!IsStaged(run.Value.Status) && query.Statuses.Count == 0 && query.Outcomes.Count == 0 && query.Severities.Count == 0 && query.Categories.Count == 0)
        {
            // The whole run (the CLI's output, an export): two cursors in step rather than a join.
            using var cursor = Guard(() => new SqliteRunCursor(
                connection, run.Value.Key, query.IncludeCarried, withDetail: true, query.ContinuationToken is { } after ? ParseOrderKey(after) : null));
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                StoredFinding next;
                try
                {
                    if (!cursor.Read())
                    {
                        break;
                    }

                    next = decoder.Read(cursor);
                }
                catch (SqliteException ex)
                {
                    throw SqliteErrors.Explain(ex, DatabasePath, _options, File.Exists(DatabasePath));
                }

                yield return next;
            }

            yield break;
        }

        await using var command = FindingsCommand(connection, null, run.Value, query, after: query.ContinuationToken, limit: null);
        var reader = await GuardAsync(() => command.ExecuteReaderAsync(cancellationToken));
        await using (reader)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                StoredFinding next;
                try
                {
                    // SQLite reads synchronously; its async methods only wrap the same calls.
                    if (!reader.Read())
                    {
                        break;
                    }

                    next = decoder.Read(reader);
                }
                catch (SqliteException ex)
                {
                    throw SqliteErrors.Explain(ex, DatabasePath, _options, File.Exists(DatabasePath));
                }

                yield return next;
            }
        }
    }

    public Task<FindingPage> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 5000);
        await using var connection = await OpenAsync(cancellationToken);
        if (await RunHeadAsync(connection, null, query.RunId, cancellationToken) is not { } run)
        {
            return new FindingPage([], null);
        }

        await using var command = FindingsCommand(connection, null, run, query, query.ContinuationToken, pageSize + 1);
        var findings = new List<StoredFinding>(pageSize);
        var more = false;
        string? last = null;
        var decoder = new RowDecoder(this, connection, null, run.TenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (findings.Count == pageSize)
            {
                more = true;
                break;
            }

            var stored = decoder.Read(reader);
            findings.Add(stored);
            last = OrderKey(reader.GetInt64(12), stored.Finding.FindingId);
        }

        return new FindingPage(findings, more ? last : null);
    });

    public Task<IReadOnlyList<StoredFinding>> GetFindingsAsync(string runId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetFindingsAsync(connection, null, runId, findingIds, cancellationToken);
    });

    public Task<IReadOnlyDictionary<string, FindingState>> GetFindingStatesAsync(string tenantId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        var result = new Dictionary<string, FindingState>(StringComparer.Ordinal);
        var tenantKey = await TenantKeyAsync(connection, null, tenantId, create: false, cancellationToken);
        if (tenantKey is null)
        {
            return (IReadOnlyDictionary<string, FindingState>)result;
        }

        var runIds = await RunIdsByKeyAsync(connection, null, cancellationToken);
        foreach (var chunk in findingIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {StateColumns} FROM finding_states WHERE tenant_key = $tenant AND finding_id IN ({InList(command, "$f", chunk.Select(FindingCodec.IdBytes))}) ORDER BY resource_key, finding_id";
            command.Parameters.AddWithValue("$tenant", tenantKey);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var state = ReadState(reader, tenantId, runIds);
                result[state.FindingId] = state;
            }
        }

        return (IReadOnlyDictionary<string, FindingState>)result;
    });

    public Task<IFinalizationSession> BeginFinalizationAsync(string runId, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            return (IFinalizationSession)await SqliteFinalizationSession.BeginAsync(this, connection, runId, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    });

    // ---- notifications and suppressions ------------------------------------------------------------

    public Task<bool> TryRecordNotificationAsync(string runId, string channel, DateTimeOffset at, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var runKey = await RunKeyAsync(connection, tx, runId, cancellationToken) ?? throw new ReportStoreException($"run '{runId}' does not exist");
        var inserted = await ExecuteAsync(connection, tx, "INSERT OR IGNORE INTO notifications (run_key, channel, recorded_at) VALUES ($run, $channel, $at)", cancellationToken,
            ("$run", runKey), ("$channel", channel), ("$at", IsoTime.Sortable(at)));
        await tx.CommitAsync(cancellationToken);
        return inserted == 1;
    });

    public Task RecordNotificationResultAsync(string runId, string channel, NotificationStatus status, string? detail, DateTimeOffset at, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        var updated = await ExecuteAsync(connection, null, """
            UPDATE notifications SET status = $status, detail = $detail, completed_at = $at
            WHERE run_key = (SELECT run_key FROM runs WHERE run_id = $run) AND channel = $channel
            """, cancellationToken,
            ("$status", status.ToWire()), ("$detail", detail), ("$at", IsoTime.Sortable(at)), ("$run", runId), ("$channel", channel));
        if (updated == 0)
        {
            throw new ReportStoreException($"run '{runId}' has no '{channel}' notification recorded");
        }

        return true;
    });

    public Task<IReadOnlyList<Suppression>> ListSuppressionsAsync(CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (IReadOnlyList<Suppression>)await QueryAsync(connection, null, "SELECT json FROM suppressions ORDER BY id",
            reader => StoreJson.Deserialize<Suppression>(reader.GetString(0)), cancellationToken);
    });

    public Task UpsertSuppressionAsync(Suppression suppression, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(suppression);
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "INSERT INTO suppressions (id, json) VALUES ($id, $json) ON CONFLICT (id) DO UPDATE SET json = excluded.json", cancellationToken,
            ("$id", suppression.Id), ("$json", StoreJson.Serialize(suppression)));
    });

    public Task<bool> DeleteSuppressionAsync(string id, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "DELETE FROM suppressions WHERE id = $id", cancellationToken, ("$id", id)) == 1;
    });

    public Task<PruneResult> DeleteRunsAsync(IReadOnlyCollection<string> runIds, DateTimeOffset statesSeenBefore, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(runIds);
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        int runs = 0;
        long findings = 0;
        foreach (var runId in runIds)
        {
            if (await RunKeyAsync(connection, tx, runId, cancellationToken) is not { } key)
            {
                continue;
            }

            findings += await ExecuteAsync(connection, tx, "DELETE FROM findings WHERE run_key = $run", cancellationToken, ("$run", key));
            findings += await ExecuteAsync(connection, tx, "DELETE FROM stage.staged_findings WHERE run_key = $run", cancellationToken, ("$run", key));
            foreach (var table in new[] { "resources", "stage.staged_resources", "run_scopes", "notifications", "runs" }.Where(t => !_options.ReadOnly || !t.StartsWith("stage.", StringComparison.Ordinal)))
            {
                var deleted = await ExecuteAsync(connection, tx, $"DELETE FROM {table} WHERE run_key = $run", cancellationToken, ("$run", key));
                if (table == "runs")
                {
                    runs += deleted;
                }
            }
        }

        var states = await ExecuteAsync(connection, tx, "DELETE FROM finding_states WHERE last_seen < $cutoff", cancellationToken, ("$cutoff", statesSeenBefore.ToUnixTimeMilliseconds()));
        await tx.CommitAsync(cancellationToken);
        return new PruneResult(runs, findings, states);
    });

    // ---- shared with the finalisation session --------------------------------------------------------

    internal const string StateColumns = "resource_key, finding_id, last_seen, last_run, last_outcome, last_status";

    /// <summary>
    /// The store's order of a finding as text that sorts ordinally the same way: the resource key
    /// (as unsigned, so that negative keys sort first as SQLite sorts them), then the finding id.
    /// </summary>
    internal static string OrderKey(long resourceKey, string findingId) =>
        string.Create(16 + findingId.Length, (resourceKey, findingId), static (span, state) =>
        {
            WriteResourceKey(state.resourceKey, span);
            state.findingId.AsSpan().CopyTo(span[16..]);
        });

    /// <summary>The same order key, from a finding id as stored (16 bytes).</summary>
    internal static string OrderKey(long resourceKey, ReadOnlySpan<byte> findingId)
    {
        Span<char> key = stackalloc char[16 + (findingId.Length * 2)];
        WriteResourceKey(resourceKey, key);
        Convert.TryToHexStringLower(findingId, key[16..], out _);
        return new string(key);
    }

    /// <summary>
    /// A resource key as 16 lower-case hex digits that sort as the keys do (sign bit flipped), written
    /// as the hex of its big-endian bytes: formatting with "x16" took the number formatter's slow path.
    /// </summary>
    private static void WriteResourceKey(long resourceKey, Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, unchecked((ulong)resourceKey ^ 0x8000000000000000UL));
        Convert.TryToHexStringLower(bytes, destination[..16], out _);
    }

    internal static (long ResourceKey, byte[] FindingId) ParseOrderKey(string orderKey)
    {
        if (orderKey.Length != 48 || !ulong.TryParse(orderKey.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var key))
        {
            throw new ReportStoreException($"'{orderKey}' is not a position in a run's findings");
        }

        return (unchecked((long)(key ^ 0x8000000000000000UL)), FindingCodec.IdBytes(orderKey[16..]));
    }

    internal string DatabaseDescription => DatabasePath;

    internal static FindingState ReadState(SqliteDataReader reader, string tenantId, IReadOnlyDictionary<long, string> runIds)
    {
        var findingId = FindingCodec.IdText(reader.GetFieldValue<byte[]>(1));
        return new FindingState
        {
            TenantId = tenantId,
            FindingId = findingId,
            OrderKey = OrderKey(reader.GetInt64(0), findingId),
            LastSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            LastRunId = RunIdOf(runIds, reader.GetInt64(3)),
            LastOutcome = (Outcome)reader.GetInt32(4),
            LastStatus = reader.IsDBNull(5) ? null : (HistoryStatus)reader.GetInt32(5),
        };
    }

    /// <summary>A run that was pruned keeps a placeholder id, which no live run can have (run ids have no '#').</summary>
    private static string RunIdOf(IReadOnlyDictionary<long, string> runIds, long key) => runIds.TryGetValue(key, out var id) ? id : "#" + key.ToString(CultureInfo.InvariantCulture);

    internal static async Task<Dictionary<long, string>> RunIdsByKeyAsync(SqliteConnection connection, SqliteTransaction? tx, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, string>();
        foreach (var (key, id) in await QueryAsync(connection, tx, "SELECT run_key, run_id FROM runs", r => (r.GetInt64(0), r.GetString(1)), cancellationToken))
        {
            result[key] = id;
        }

        return result;
    }

    internal readonly record struct RunHead(long Key, string RunId, string TenantId, RunStatus Status);

    internal static async Task<RunHead?> RunHeadAsync(SqliteConnection connection, SqliteTransaction? tx, string runId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(connection, tx, "SELECT run_key, tenant_id, status FROM runs WHERE run_id = $id",
            r => new RunHead(r.GetInt64(0), runId, r.GetString(1), EnumNames.Parse<RunStatus>(r.GetString(2))), cancellationToken, ("$id", runId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>A run's findings are in place once it is finalised; before, they are the staged rows (the last save of each finding wins).</summary>
    internal static bool IsStaged(RunStatus status) => !status.IsFinalized();

    private const string FindingColumns = "f.finding_id, f.rule_key, f.outcome, f.status, f.carried, f.detail, r.resource_id, r.name, r.type, r.location, r.subscription_id, r.tags, f.resource_key";

    internal SqliteCommand FindingsCommand(SqliteConnection connection, SqliteTransaction? tx, RunHead run, FindingQuery query, string? after, int? limit)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        var where = new List<string>();
        command.Parameters.AddWithValue("$run", run.Key);
        if (after is not null)
        {
            var (resourceKey, findingId) = ParseOrderKey(after);
            where.Add("(f.resource_key, f.finding_id) > ($afterResource, $afterFinding)");
            command.Parameters.AddWithValue("$afterResource", resourceKey);
            command.Parameters.AddWithValue("$afterFinding", findingId);
        }

        if (query.Statuses.Count > 0)
        {
            where.Add($"f.status IN ({InList(command, "$st", query.Statuses.Select(s => (object)(int)s))})");
        }

        if (query.Outcomes.Count > 0)
        {
            where.Add($"f.outcome IN ({InList(command, "$o", query.Outcomes.Select(o => (object)(int)o))})");
        }

        if (query.Severities.Count > 0 || query.Categories.Count > 0)
        {
            var rule = new List<string>();
            if (query.Severities.Count > 0)
            {
                rule.Add($"severity IN ({InList(command, "$sv", query.Severities.Select(s => (object)(int)s))})");
            }

            if (query.Categories.Count > 0)
            {
                rule.Add($"category IN ({InList(command, "$c", query.Categories.Select(c => (object)(int)c))})");
            }

            where.Add($"f.rule_key IN (SELECT rule_key FROM rules WHERE {string.Join(" AND ", rule)})");
        }

        if (!query.IncludeCarried)
        {
            where.Add("f.carried = 0");
        }

        var filter = where.Count == 0 ? string.Empty : " AND " + string.Join(" AND ", where);
        var take = limit is { } n ? " LIMIT " + n.ToString(CultureInfo.InvariantCulture) : string.Empty;
        command.CommandText = IsStaged(run.Status) && _options.ReadOnly
            ? $"SELECT {FindingColumns} FROM findings f JOIN resources r ON r.run_key = f.run_key AND r.resource_key = f.resource_key WHERE 0 = 1"
            : IsStaged(run.Status)
            ? $"""
               WITH lf AS (SELECT MAX(seq) AS seq FROM stage.staged_findings WHERE run_key = $run GROUP BY finding_id),
                    f AS (SELECT s.finding_id, s.rule_key, s.resource_key, s.outcome, NULL AS status, 0 AS carried, s.detail FROM lf JOIN stage.staged_findings s ON s.seq = lf.seq),
                    lr AS (SELECT MAX(seq) AS seq FROM stage.staged_resources WHERE run_key = $run GROUP BY resource_key),
                    r AS (SELECT s.* FROM lr JOIN stage.staged_resources s ON s.seq = lr.seq)
               SELECT {FindingColumns} FROM f JOIN r ON r.resource_key = f.resource_key WHERE 1 = 1{filter} ORDER BY f.resource_key, f.finding_id{take}
               """
            : $"SELECT {FindingColumns} FROM findings f JOIN resources r ON r.run_key = f.run_key AND r.resource_key = f.resource_key WHERE f.run_key = $run{filter} ORDER BY f.resource_key, f.finding_id{take}";
        return command;
    }

    internal Task<StoredFinding> ReadFindingAsync(SqliteConnection connection, SqliteTransaction? tx, SqliteDataReader reader, string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult(new RowDecoder(this, connection, tx, tenantId).Read(reader));

    /// <summary>
    /// Turns finding rows back into findings, sharing what rows share: rule metadata by key, the
    /// scope id of a subscription, the tags of the last resources seen, the texts details repeat (<see cref="FindingDetailReader"/>).
    /// </summary>
    internal sealed class RowDecoder(SqliteReportStore store, SqliteConnection connection, SqliteTransaction? tx, string tenantId)
    {
        private readonly Dictionary<string, string> _scopes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, string>> _tags = new(StringComparer.Ordinal);
        private readonly FindingDetailReader _details = new();
        private long _lastResourceKey;
        private ResourceMeta? _lastResource;
        private long _lastScopeKey;
        private string? _lastScope;

        public StoredFinding Read(SqliteDataReader reader)
        {
            // Rows come by resource: the findings of one resource share its record.
            var resourceKey = reader.GetInt64(12);
            if (_lastResource is null || resourceKey != _lastResourceKey)
            {
                _lastResourceKey = resourceKey;
                _lastResource = Resource(
                    reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.IsDBNull(10) ? null : reader.GetString(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11));
            }

            return Build(
                FindingCodec.IdText(reader.GetFieldValue<byte[]>(0)),
                reader.GetInt64(1),
                _lastResource,
                resourceKey,
                (Outcome)reader.GetInt32(2),
                reader.IsDBNull(3) ? null : (HistoryStatus)reader.GetInt32(3),
                reader.GetInt64(4) != 0,
                reader.IsDBNull(5) ? null : reader.GetString(5));
        }

        /// <summary>The current finding of a cursor opened with its detail.</summary>
        public StoredFinding Read(SqliteRunCursor cursor)
        {
            var r = cursor.Resource;
            if (_lastResource is null || cursor.NewResource)
            {
                _lastResourceKey = cursor.ResourceKey;
                _lastResource = Resource(r.Text(1)!, r.Text(2), r.Text(3)!, r.Text(4), r.Text(5), r.Text(6));
            }

            var f = cursor.Finding;
            return Build(
                FindingCodec.IdText(f.Blob(0)),
                f.Int64(1),
                _lastResource,
                cursor.ResourceKey,
                (Outcome)f.Int32(2),
                f.IsNull(3) ? null : (HistoryStatus)f.Int32(3),
                f.Int64(4) != 0,
                f.Utf8(6) is { IsEmpty: false } detail ? _details.Read(detail) : null);
        }

        private StoredFinding Build(string id, long ruleKey, ResourceMeta resource, long resourceKey, Outcome outcome, HistoryStatus? status, bool carried, string? detail) =>
            Build(id, ruleKey, resource, resourceKey, outcome, status, carried, string.IsNullOrEmpty(detail) ? null : _details.Read(detail));

        private StoredFinding Build(string id, long ruleKey, ResourceMeta resource, long resourceKey, Outcome outcome, HistoryStatus? status, bool carried, FindingDetail? detail)
        {
            var finding = FindingCodec.Rebuild(id, store.Rule(connection, tx, ruleKey), resource, outcome, detail);
            return new StoredFinding(finding, Scope(finding, resourceKey), status, carried);
        }

        /// <summary>
        /// A resource row with its name and subscription worked out once (what the id says when the row
        /// keeps none; an empty subscription is none), rather than for each of its findings.
        /// </summary>
        private ResourceMeta Resource(string resourceId, string? name, string type, string? location, string? subscriptionId, string? tags) => new(
            resourceId,
            name ?? ResourceIds.LastSegment(resourceId),
            type,
            location,
            subscriptionId ?? ResourceIds.SubscriptionOf(resourceId) ?? string.Empty,
            tags is null ? null : Tags(tags));

        /// <summary>The scope of a finding: its resource's (kept while the rows are the resource's), but a collection error's own.</summary>
        private string Scope(Finding finding, long resourceKey)
        {
            if (finding.RuleId == Core.Evaluation.ScanEngine.CollectionRuleId)
            {
                return Scope(finding);
            }

            if (_lastScope is null || resourceKey != _lastScopeKey)
            {
                _lastScope = Scope(finding);
                _lastScopeKey = resourceKey;
            }

            return _lastScope;
        }

        private string Scope(Finding finding)
        {
            if (finding.SubscriptionId is not { } subscription || finding.RuleId == Core.Evaluation.ScanEngine.CollectionRuleId)
            {
                return FindingScopes.ScopeOf(finding, tenantId);
            }

            if (!_scopes.TryGetValue(subscription, out var scope))
            {
                _scopes[subscription] = scope = FindingScopes.ScopeOf(finding, tenantId);
            }

            return scope;
        }

        /// <summary>Tags as stored (a JSON object of strings); resources share few distinct tag sets, so equal text shares one dictionary.</summary>
        private Dictionary<string, string> Tags(string json)
        {
            if (_tags.TryGetValue(json, out var tags))
            {
                return tags;
            }

            if (_tags.Count >= 4096)
            {
                _tags.Clear();
            }

            tags = StoreJson.Deserialize<Dictionary<string, string>>(json);
            _tags[json] = tags;
            return tags;
        }
    }

    internal async Task<IReadOnlyList<StoredFinding>> GetFindingsAsync(SqliteConnection connection, SqliteTransaction? tx, string runId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken)
    {
        var result = new List<StoredFinding>();
        if (await RunHeadAsync(connection, tx, runId, cancellationToken) is not { } run)
        {
            return result;
        }

        // By id alone: the run is scanned (its rows are kept by resource); the finaliser asks by key instead.
        foreach (var chunk in findingIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            await using var command = FindingsCommand(connection, tx, run, new FindingQuery { RunId = runId }, null, null);
            var names = InList(command, "$f", chunk.Select(FindingCodec.IdBytes));
            command.CommandText = command.CommandText.Replace(" ORDER BY f.resource_key", $" AND f.finding_id IN ({names}) ORDER BY f.resource_key", StringComparison.Ordinal);
            var decoder = new RowDecoder(this, connection, tx, run.TenantId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(decoder.Read(reader));
            }
        }

        return result;
    }

    /// <summary>A rule's metadata by key: from the cache, else read once (SQLite reads synchronously).</summary>
    internal RuleMeta Rule(SqliteConnection connection, SqliteTransaction? tx, long key)
    {
        if (_rules.TryGetValue(key, out var meta))
        {
            return meta;
        }

        using var command = Command(connection, tx, "SELECT json FROM rules WHERE rule_key = $key", ("$key", key));
        var json = command.ExecuteScalar() as string
            ?? throw new ReportStoreException($"{DatabasePath}: a finding names rule metadata #{key}, which the store does not hold");
        meta = StoreJson.Deserialize<RuleMeta>(json);
        _rules[key] = meta;
        return meta;
    }

    /// <summary>
    /// The key of a rule's metadata, inserted when new. Keys found inside a transaction are remembered
    /// in <paramref name="pending"/> and cached only once it commits (<see cref="Remember"/>): a
    /// rolled-back key could be given to other metadata later.
    /// </summary>
    internal async Task<long> RuleKeyAsync(SqliteConnection connection, SqliteTransaction tx, RuleMeta meta, string digest, Dictionary<string, (long Key, RuleMeta Meta)> pending, CancellationToken cancellationToken)
    {
        if (TryKnownRuleKey(digest, pending, out var key))
        {
            return key;
        }

        await ExecuteAsync(connection, tx, "INSERT OR IGNORE INTO rules (digest, severity, category, json) VALUES ($digest, $severity, $category, $json)", cancellationToken,
            ("$digest", digest), ("$severity", (int)meta.Severity), ("$category", (int)meta.Category), ("$json", StoreJson.Serialize(meta)));
        key = Convert.ToInt64(await ScalarAsync(connection, tx, "SELECT rule_key FROM rules WHERE digest = $digest", cancellationToken, ("$digest", digest)), CultureInfo.InvariantCulture);
        pending[digest] = (key, meta);
        return key;
    }

    /// <summary>The key of metadata already in the store or in this transaction (<paramref name="pending"/>), without a query.</summary>
    internal bool TryKnownRuleKey(string digest, Dictionary<string, (long Key, RuleMeta Meta)> pending, out long key)
    {
        if (_ruleKeys.TryGetValue(digest, out key))
        {
            return true;
        }

        if (pending.TryGetValue(digest, out var found))
        {
            key = found.Key;
            return true;
        }

        return false;
    }

    /// <summary>Caches the rule keys of a committed transaction.</summary>
    internal void Remember(Dictionary<string, (long Key, RuleMeta Meta)> committed)
    {
        foreach (var (digest, (key, meta)) in committed)
        {
            _rules[key] = meta;
            _ruleKeys[digest] = key;
        }
    }

    internal static async Task<long?> TenantKeyAsync(SqliteConnection connection, SqliteTransaction? tx, string tenantId, bool create, CancellationToken cancellationToken)
    {
        if (create)
        {
            await ExecuteAsync(connection, tx, "INSERT OR IGNORE INTO tenants (tenant_id) VALUES ($tenant)", cancellationToken, ("$tenant", tenantId));
        }

        return await ScalarAsync(connection, tx, "SELECT tenant_key FROM tenants WHERE tenant_id = $tenant", cancellationToken, ("$tenant", tenantId)) is { } key
            ? Convert.ToInt64(key, CultureInfo.InvariantCulture)
            : null;
    }

    internal static async Task<long?> RunKeyAsync(SqliteConnection connection, SqliteTransaction? tx, string runId, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, tx, "SELECT run_key FROM runs WHERE run_id = $id", cancellationToken, ("$id", runId)) is { } key
            ? Convert.ToInt64(key, CultureInfo.InvariantCulture)
            : null;

    internal static async Task<RunRecord?> ReadRunAsync(SqliteConnection connection, SqliteTransaction? tx, string runId, CancellationToken cancellationToken)
    {
        RunRecord run;
        long runKey;
        await using (var command = Command(connection, tx, """
                         SELECT run_key, run_id, tenant_id, started_at, finished_at, status, claimed_at, previous_run_id, trigger, packs, rule_ids, counts,
                                provenance, suspect_reason, changes_accepted, abandoned_reason, version
                         FROM runs WHERE run_id = $id
                         """, ("$id", runId)))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            runKey = reader.GetInt64(0);
            run = new RunRecord
            {
                RunId = reader.GetString(1),
                TenantId = reader.GetString(2),
                StartedAt = IsoTime.ParseSortable(reader.GetString(3)),
                FinishedAt = Text(4) is { } finished ? IsoTime.ParseSortable(finished) : null,
                Status = EnumNames.Parse<RunStatus>(reader.GetString(5)),
                FinalizationClaimedAt = Text(6) is { } claimed ? IsoTime.ParseSortable(claimed) : null,
                PreviousRunId = Text(7),
                Trigger = Text(8),
                Packs = StoreJson.Deserialize<List<PackInfo>>(reader.GetString(9)),
                RuleIds = StoreJson.Deserialize<List<string>>(reader.GetString(10)),
                Counts = Text(11) is { } counts ? StoreJson.Deserialize<RunCounts>(counts) : null,
                Provenance = Text(12) is { } provenance ? StoreJson.Deserialize<RunProvenance>(provenance) : new RunProvenance(),
                SuspectReason = Text(13),
                ChangesAccepted = reader.GetInt64(14) != 0,
                AbandonedReason = Text(15),
                Version = reader.GetInt64(16).ToString(CultureInfo.InvariantCulture),
            };
        }

        var scopes = await QueryAsync(
            connection,
            tx,
            "SELECT scope_id, display_name, status, error, completed_at, collected_at, resources, sha256 FROM run_scopes WHERE run_key = $run ORDER BY ordinal, scope_key",
            reader => new RunScope(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                EnumNames.Parse<ScopeStatus>(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : IsoTime.ParseSortable(reader.GetString(4)),
                reader.IsDBNull(5) ? null : IsoTime.ParseSortable(reader.GetString(5)),
                reader.IsDBNull(6) ? null : reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)),
            cancellationToken,
            ("$run", runKey));

        var notifications = await QueryAsync(
            connection,
            tx,
            "SELECT channel, recorded_at, status, detail, completed_at FROM notifications WHERE run_key = $run ORDER BY channel",
            reader => new RunNotification(
                reader.GetString(0),
                IsoTime.ParseSortable(reader.GetString(1)),
                reader.IsDBNull(2) ? NotificationStatus.Claimed : EnumNames.Parse<NotificationStatus>(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : IsoTime.ParseSortable(reader.GetString(4))),
            cancellationToken,
            ("$run", runKey));

        return run with { Scopes = scopes, Notifications = notifications };
    }

    // ---- connections and errors ---------------------------------------------------------------------

    internal static string ScopeKey(string scopeId) => scopeId.ToLowerInvariant();

    /// <summary>Runs a store operation; a SQLite failure becomes a message naming the file and what to do.</summary>
    internal async Task<T> GuardAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Explain(ex, DatabasePath, _options, File.Exists(DatabasePath));
        }
    }

    /// <summary>One step of a reader (SQLite reads synchronously; its async methods only wrap the same calls), its errors explained.</summary>
    internal bool Read(SqliteDataReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Explain(ex, DatabasePath, _options, File.Exists(DatabasePath));
        }
    }

    /// <summary>A synchronous store operation (opening a cursor), its errors explained.</summary>
    internal T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Explain(ex, DatabasePath, _options, File.Exists(DatabasePath));
        }
    }

    internal async Task GuardAsync(Func<Task> operation) => await GuardAsync(async () =>
    {
        await operation();
        return true;
    });

    /// <summary>
    /// A connection for reading the store file only: nothing is set up on it (no staging file, no
    /// schema check), so it needs no lock a writer holds (a finalisation's second stream, read while the
    /// finalisation holds the write lock). It is not opened read-only: the last connection to close
    /// removes the write-ahead log, which a read-only one cannot do.
    /// </summary>
    internal async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await _initLock.WaitAsync(cancellationToken);
            try
            {
                if (!_initialized)
                {
                    await InitializeAsync(cancellationToken);
                    _initialized = true;
                }
            }
            finally
            {
                _initLock.Release();
            }
        }

        var connection = new SqliteConnection(_immutableConnectionString ?? _connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ConfigureAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_options.ReadOnly)
        {
            if (!File.Exists(DatabasePath))
            {
                throw new ReportStoreException($"there is no report store at {DatabasePath} yet: run 'compliance scan' first (with the same --store)");
            }

            await using var connection = await OpenReadOnlyAsync(cancellationToken);
            await CheckVersionAsync(connection, null, cancellationToken);
            return;
        }

        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using (var connection = new SqliteConnection(_connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            var tables = Convert.ToInt64(await ScalarAsync(connection, null, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", cancellationToken), CultureInfo.InvariantCulture);
            if (tables == 0)
            {
                // A new file: page size first (it cannot change once there are tables), then the write-ahead log.
                await ExecuteAsync(connection, null, $"PRAGMA page_size = {SqliteSchema.PageSize}", cancellationToken);
                await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
                await ConfigureAsync(connection, cancellationToken);
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, tx, SqliteSchema.Create, cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
            else
            {
                await CheckVersionAsync(connection, null, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A read-only open: the file and its folder may be read-only. SQLite's write-ahead log wants its
    /// shared-memory file beside the database; where it cannot be made, the file is read as immutable
    /// (nothing else may be writing it then, which a read-only file guarantees).
    /// </summary>
    private async Task<SqliteConnection> OpenReadOnlyAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ScalarAsync(connection, null, "SELECT COUNT(*) FROM sqlite_master", cancellationToken);
            return connection;
        }
        catch (SqliteException ex) when ((ex.SqliteErrorCode & 0xFF) is 8 or 14)
        {
            await connection.DisposeAsync();
            _immutableConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = "file:" + Uri.EscapeDataString(DatabasePath).Replace("%2F", "/", StringComparison.Ordinal) + "?immutable=1",
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = true,
                DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
            }.ToString();
            var immutable = new SqliteConnection(_immutableConnectionString);
            await immutable.OpenAsync(cancellationToken);
            return immutable;
        }
    }

    private async Task CheckVersionAsync(SqliteConnection connection, SqliteTransaction? tx, CancellationToken cancellationToken)
    {
        var hasInfo = Convert.ToInt64(await ScalarAsync(connection, tx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'store_info'", cancellationToken), CultureInfo.InvariantCulture) == 1;
        var version = hasInfo
            ? Convert.ToInt32(await ScalarAsync(connection, tx, "SELECT value FROM store_info WHERE key = 'schemaVersion'", cancellationToken), CultureInfo.InvariantCulture)
            : 0;
        if (version == SqliteSchema.Version)
        {
            return;
        }

        throw version switch
        {
            0 => new ReportStoreException($"{DatabasePath} is not a report store (it holds other tables): point --store at another file"),
            > SqliteSchema.Version => new ReportStoreException($"the report store {DatabasePath} was written by a newer version of the tool (schema {version}; this one reads {SqliteSchema.Version})"),
            _ => new ReportStoreException(
                $"the report store {DatabasePath} has the schema of an earlier version (schema {version}; this one reads {SqliteSchema.Version}): " +
                $"run 'compliance store migrate --store {DatabasePath}' once to upgrade it (the old file is kept beside it as {Path.GetFileName(DatabasePath)}.v{version}.bak)"),
        };
    }

    /// <summary>
    /// The page cache of a connection that writes, in KiB ("PRAGMA cache_size", https://sqlite.org/pragma.html#pragma_cache_size;
    /// SQLite's default is 2,000 KiB, which also bounds the sorter's in-memory runs). 16 MiB took a 1M-resource
    /// fresh scan from 46.1 s to 43.4 s on this project's machine (staging 26.4 s to 22.6 s) for 35 MB more
    /// peak memory; 64 MiB gained little more for 175 MB.
    /// </summary>
    private const int CacheKibibytes = 16384;

    /// <summary>
    /// Helper threads SQLite may start for a large sort (the finalisation's sorted move of a run's
    /// staged rows; "PRAGMA threads", https://sqlite.org/pragma.html#pragma_threads): one core fewer than the machine has, at most 3.
    /// </summary>
    private static int SorterThreads => Math.Clamp(Environment.ProcessorCount - 1, 0, 3);

    /// <summary>
    /// Per connection: with the write-ahead log, synchronous=NORMAL is durable across a crash of the
    /// process (a power loss may drop the last commits) and avoids a flush per commit; temporary
    /// tables of a finalisation go to a file, not memory; a larger page cache (<see cref="CacheKibibytes"/>); the size limit when one is set.
    /// </summary>
    private async Task ConfigureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (_options.ReadOnly)
        {
            return;
        }

        await ExecuteAsync(connection, null, $"PRAGMA synchronous = NORMAL; PRAGMA threads = {SorterThreads}; PRAGMA cache_size = -{CacheKibibytes}", cancellationToken);
        if (Convert.ToInt64(await ScalarAsync(connection, null, "SELECT COUNT(*) FROM pragma_database_list WHERE name = 'stage'", cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            // Staged findings live in a file of their own: the store keeps only what is in place, and the
            // staging file is emptied once no run is open. Losing it in a crash loses only an unfinished run.
            await ExecuteAsync(connection, null, "ATTACH DATABASE $path AS stage", cancellationToken, ("$path", StagePath));
            await ExecuteAsync(connection, null, "PRAGMA stage.journal_mode = WAL; PRAGMA stage.synchronous = OFF", cancellationToken);
            await ExecuteAsync(connection, null, SqliteSchema.CreateStage, cancellationToken);
        }

        if (_options.MaxSizeMegabytes is { } megabytes)
        {
            var pageSize = Convert.ToInt64(await ScalarAsync(connection, null, "PRAGMA page_size", cancellationToken), CultureInfo.InvariantCulture);
            await ExecuteAsync(connection, null, $"PRAGMA max_page_count = {megabytes * 1024L * 1024L / pageSize}", cancellationToken);
        }
    }

    private static async Task<long> RequireRunningAsync(SqliteConnection connection, SqliteTransaction tx, string runId, CancellationToken cancellationToken)
    {
        var head = await RunHeadAsync(connection, tx, runId, cancellationToken) ?? throw new ReportStoreException($"run '{runId}' does not exist");
        return head.Status == RunStatus.Running
            ? head.Key
            : throw new ReportStoreException($"run '{runId}' is {head.Status.ToWire()}; its findings and scopes can no longer change");
    }

    internal static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    internal static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
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

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
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

    internal static string InList<T>(SqliteCommand command, string prefix, IEnumerable<T> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = prefix + names.Count.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, (object?)value ?? DBNull.Value);
            names.Add(name);
        }

        return names.Count == 0 ? "NULL" : string.Join(", ", names);
    }

    internal static SqliteParameter[] Parameters(SqliteCommand command, params string[] names) =>
        names.Select(n => command.Parameters.Add(n, SqliteType.Text)).ToArray();

    internal static void Set(SqliteParameter[] parameters, params object?[] values)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
            parameters[i].SqliteType = values[i] switch
            {
                byte[] => SqliteType.Blob,
                int or long => SqliteType.Integer,
                _ => SqliteType.Text,
            };
        }
    }
}
