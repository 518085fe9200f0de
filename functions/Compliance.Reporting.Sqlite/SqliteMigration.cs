using System.Globalization;
using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Sqlite;

/// <summary>
/// Upgrades a store file of schema 1 (every finding and state a JSON document) to schema 2: a new
/// file is written beside it, then the old one is kept as <c>{name}.v1.bak</c> and the new one takes
/// its name. Runs keep their ids, statuses, counts and history; a run that was still open becomes
/// abandoned (nothing can finish it now).
/// </summary>
public static class SqliteMigration
{
    /// <summary>What a migration did.</summary>
    public sealed record Result(int Runs, long Findings, long States, int Suppressions, string Backup);

    public static async Task<Result> MigrateAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ReportStoreException($"there is no report store at {full} to migrate");
        }

        var version = await VersionAsync(full, cancellationToken);
        if (version == SqliteSchema.Version)
        {
            throw new ReportStoreException($"the report store {full} already has schema {SqliteSchema.Version}: nothing to migrate");
        }

        if (version != 1)
        {
            throw new ReportStoreException($"{full} has schema {version}, which this version of the tool cannot migrate");
        }

        var target = full + ".migrating";
        var backup = full + ".v1.bak";
        foreach (var stale in new[] { target, target + "-wal", target + "-shm" })
        {
            File.Delete(stale);
        }

        var store = new SqliteReportStore(Options.Create(new SqliteStoreOptions { Path = target }));
        Result result;
        await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
        {
            await source.OpenAsync(cancellationToken);
            await SqliteReportStore.ExecuteAsync(source, null, "PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken);
            await using var connection = await store.OpenAsync(cancellationToken);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            result = await CopyAsync(store, source, connection, tx, time, backup, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        SqliteConnection.ClearAllPools();
        File.Move(full, backup, overwrite: true);
        foreach (var side in new[] { "-wal", "-shm" })
        {
            File.Delete(full + side);
        }

        File.Move(target, full);
        foreach (var side in new[] { "-wal", "-shm" })
        {
            File.Delete(target + side);
        }

        return result;
    }

    private static async Task<int> VersionAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        var value = await SqliteReportStore.ScalarAsync(connection, null, "SELECT value FROM store_info WHERE key = 'schemaVersion'", cancellationToken);
        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static async Task<Result> CopyAsync(SqliteReportStore store, SqliteConnection source, SqliteConnection target, SqliteTransaction tx, TimeProvider time, string backup, CancellationToken cancellationToken)
    {
        var runKeys = new Dictionary<string, long>(StringComparer.Ordinal);
        var newRules = new Dictionary<string, (long Key, RuleMeta Meta)>(StringComparer.Ordinal);
        var rules = new RuleMetaCache();
        var runs = await SqliteReportStore.QueryAsync(source, null, """
            SELECT run_id, tenant_id, started_at, finished_at, status, claimed_at, previous_run_id, trigger, packs, rule_ids, counts FROM runs ORDER BY started_at, run_id
            """, r => Enumerable.Range(0, 11).Select(i => r.IsDBNull(i) ? null : r.GetString(i)).ToArray(), cancellationToken);
        foreach (var row in runs)
        {
            var open = row[4] is "running" or "finalizing";
            await SqliteReportStore.ExecuteAsync(target, tx, """
                INSERT INTO runs (run_id, tenant_id, started_at, finished_at, status, previous_run_id, trigger, packs, rule_ids, counts, provenance, abandoned_reason)
                VALUES ($id, $tenant, $started, $finished, $status, $previous, $trigger, $packs, $rules, $counts, $provenance, $abandoned)
                """, cancellationToken,
                ("$id", row[0]), ("$tenant", row[1]), ("$started", row[2]), ("$finished", row[3]), ("$status", open ? RunStatus.Abandoned.ToWire() : row[4]),
                ("$previous", row[6]), ("$trigger", row[7]), ("$packs", row[8]), ("$rules", row[9]), ("$counts", row[10]),
                ("$provenance", StoreJson.Serialize(new RunProvenance())),
                ("$abandoned", open ? $"still {row[4]} when the store was migrated to schema {SqliteSchema.Version} at {IsoTime.Seconds(time.GetUtcNow())}" : null));
            var key = (await SqliteReportStore.RunKeyAsync(target, tx, row[0]!, cancellationToken))!.Value;
            runKeys[row[0]!] = key;
            await CopyRowsAsync(source, target, tx, "SELECT scope_key, scope_id, display_name, status, error, completed_at, ordinal FROM run_scopes WHERE run_id = $run", """
                INSERT INTO run_scopes (run_key, scope_key, scope_id, display_name, status, error, completed_at, ordinal) VALUES ($key, $p0, $p1, $p2, $p3, $p4, $p5, $p6)
                """, row[0]!, key, cancellationToken);
            await CopyRowsAsync(source, target, tx, "SELECT channel, recorded_at, status, detail, completed_at FROM notifications WHERE run_id = $run", """
                INSERT INTO notifications (run_key, channel, recorded_at, status, detail, completed_at) VALUES ($key, $p0, $p1, $p2, $p3, $p4)
                """, row[0]!, key, cancellationToken);
        }

        long findings = 0;
        await using (var resource = SqliteReportStore.Command(target, tx, """
                         INSERT OR IGNORE INTO resources (run_key, resource_key, resource_id, name, type, location, subscription_id, tags)
                         VALUES ($run, $key, $id, $name, $type, $location, $subscription, $tags)
                         """))
        await using (var finding = SqliteReportStore.Command(target, tx, """
                         INSERT OR REPLACE INTO findings (run_key, finding_id, rule_key, resource_key, outcome, status, carried, detail)
                         VALUES ($run, $id, $rule, $resource, $outcome, $status, $carried, $detail)
                         """))
        {
            var rp = SqliteReportStore.Parameters(resource, "$run", "$key", "$id", "$name", "$type", "$location", "$subscription", "$tags");
            var fp = SqliteReportStore.Parameters(finding, "$run", "$id", "$rule", "$resource", "$outcome", "$status", "$carried", "$detail");
            await using var read = SqliteReportStore.Command(source, null, "SELECT run_id, json, history_status, carried FROM findings ORDER BY run_id, finding_id");
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!runKeys.TryGetValue(reader.GetString(0), out var runKey))
                {
                    continue;
                }

                var f = FindingJson.Deserialize(reader.GetString(1)) ?? throw new ReportStoreException("a stored finding of schema 1 is empty");
                var compact = FindingCodec.IsCompactPass(f) && reader.GetInt64(3) == 0;
                var (meta, digest) = rules.Of(f, compact);
                var ruleKey = await store.RuleKeyAsync(target, tx, meta, digest, newRules, cancellationToken);
                var r = ResourceMeta.Of(f);
                SqliteReportStore.Set(rp, runKey, r.Key, r.ResourceId, r.Name, r.ResourceType, r.Location, r.SubscriptionId, r.Tags is null ? null : StoreJson.Serialize(r.Tags.ToDictionary(t => t.Key, t => t.Value)));
                await resource.ExecuteNonQueryAsync(cancellationToken);
                var status = reader.IsDBNull(2) ? null : (object)(int)EnumNames.Parse<HistoryStatus>(reader.GetString(2));
                SqliteReportStore.Set(fp, runKey, FindingCodec.IdBytes(f.FindingId), ruleKey, r.Key, (int)f.Outcome, status, reader.GetInt64(3), compact ? null : FindingCodec.DetailJson(f, meta));
                await finding.ExecuteNonQueryAsync(cancellationToken);
                findings++;
            }
        }

        long states = 0;
        var stateRows = await SqliteReportStore.QueryAsync(source, null, "SELECT json FROM finding_states", r => r.GetString(0), cancellationToken);
        foreach (var json in stateRows)
        {
            using var doc = JsonDocument.Parse(json);
            var s = doc.RootElement;
            string? Text(string name) => s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var tenantKey = (await SqliteReportStore.TenantKeyAsync(target, tx, Text("tenantId")!, create: true, cancellationToken))!.Value;
            long RunKey(string? id) => id is not null && runKeys.TryGetValue(id, out var k) ? k : 0;
            await SqliteReportStore.ExecuteAsync(target, tx, """
                INSERT OR REPLACE INTO finding_states (tenant_key, resource_key, finding_id, last_seen, last_run, last_outcome, last_status)
                VALUES ($tenant, $resource, $id, $last, $lastRun, $lastOutcome, $lastStatus)
                """, cancellationToken,
                ("$tenant", tenantKey), ("$resource", ResourceMeta.KeyOf(Text("resourceId") ?? string.Empty)), ("$id", FindingCodec.IdBytes(Text("findingId")!)),
                ("$last", DateTimeOffset.Parse(Text("lastSeenAt")!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()),
                ("$lastRun", RunKey(Text("lastRunId"))), ("$lastOutcome", (int)EnumNames.Parse<Outcome>(Text("lastOutcome")!)),
                ("$lastStatus", Text("lastStatus") is { } ls ? (int)EnumNames.Parse<HistoryStatus>(ls) : null));
            states++;
        }

        var suppressions = await SqliteReportStore.QueryAsync(source, null, "SELECT id, json FROM suppressions", r => (r.GetString(0), r.GetString(1)), cancellationToken);
        foreach (var (id, json) in suppressions)
        {
            await SqliteReportStore.ExecuteAsync(target, tx, "INSERT OR REPLACE INTO suppressions (id, json) VALUES ($id, $json)", cancellationToken, ("$id", id), ("$json", json));
        }

        store.Remember(newRules);
        return new Result(runs.Count, findings, states, suppressions.Count, backup);
    }

    private static async Task CopyRowsAsync(SqliteConnection source, SqliteConnection target, SqliteTransaction tx, string select, string insert, string runId, long runKey, CancellationToken cancellationToken)
    {
        var rows = await SqliteReportStore.QueryAsync(source, null, select, r => Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : r.GetValue(i)).ToArray(), cancellationToken, ("$run", runId));
        foreach (var row in rows)
        {
            var parameters = new List<(string, object?)> { ("$key", runKey) };
            parameters.AddRange(row.Select((v, i) => ($"$p{i}", v)));
            await SqliteReportStore.ExecuteAsync(target, tx, insert, cancellationToken, [.. parameters]);
        }
    }
}
