using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Compliance.Cli.Tests;

/// <summary>
/// A store file as the first release wrote it (schema 1: the tables of its SqliteSchema, every
/// finding and finding state a JSON document), holding one completed run.
/// </summary>
internal static class V1Store
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE runs (run_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, claimed_at TEXT,
                           previous_run_id TEXT, trigger TEXT, packs TEXT NOT NULL, rule_ids TEXT NOT NULL, counts TEXT);
        CREATE TABLE run_scopes (run_id TEXT NOT NULL, scope_key TEXT NOT NULL, scope_id TEXT NOT NULL, display_name TEXT, status TEXT NOT NULL, error TEXT,
                                 completed_at TEXT, ordinal INTEGER NOT NULL, PRIMARY KEY (run_id, scope_key)) WITHOUT ROWID;
        CREATE TABLE findings (run_id TEXT NOT NULL, finding_id TEXT NOT NULL, scope_id TEXT NOT NULL, rule_id TEXT NOT NULL, pack_id TEXT NOT NULL, resource_id TEXT NOT NULL,
                               outcome TEXT NOT NULL, severity TEXT NOT NULL, history_status TEXT, carried INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL, UNIQUE (run_id, finding_id));
        CREATE TABLE finding_states (tenant_id TEXT NOT NULL, finding_id TEXT NOT NULL, last_run_id TEXT NOT NULL, last_seen_at TEXT NOT NULL, json TEXT NOT NULL, UNIQUE (tenant_id, finding_id));
        CREATE TABLE notifications (run_id TEXT NOT NULL, channel TEXT NOT NULL, recorded_at TEXT NOT NULL, status TEXT, detail TEXT, completed_at TEXT, PRIMARY KEY (run_id, channel)) WITHOUT ROWID;
        CREATE TABLE suppressions (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        INSERT INTO store_info (key, value) VALUES ('schemaVersion', '1');
        """;

    public static async Task WriteAsync(string path, string runId, string tenantId, DateTimeOffset startedAt, IReadOnlyList<JsonElement> findings)
    {
        static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await Execute(connection, Schema);
        await Execute(connection, """
            INSERT INTO runs VALUES ($id, $tenant, $started, $finished, 'completed', NULL, NULL, 'cli', '[]', '[]', '{"total":1}')
            """, ("$id", runId), ("$tenant", tenantId), ("$started", Time(startedAt)), ("$finished", Time(startedAt.AddMinutes(1))));
        foreach (var f in findings)
        {
            var outcome = f.GetProperty("outcome").GetString()!;
            var status = outcome == "pass" ? null : "new";
            await Execute(connection, "INSERT INTO findings VALUES ($run, $id, $scope, $rule, $pack, $resource, $outcome, $severity, $status, 0, $json)",
                ("$run", runId), ("$id", f.GetProperty("findingId").GetString()), ("$scope", f.GetProperty("scopeId").GetString()), ("$rule", f.GetProperty("ruleId").GetString()),
                ("$pack", f.GetProperty("packId").GetString()), ("$resource", f.GetProperty("resourceId").GetString()), ("$outcome", outcome),
                ("$severity", f.GetProperty("severity").GetString()), ("$status", status), ("$json", f.GetRawText()));
            var state = JsonSerializer.Serialize(new
            {
                tenantId,
                findingId = f.GetProperty("findingId").GetString(),
                ruleId = f.GetProperty("ruleId").GetString(),
                resourceId = f.GetProperty("resourceId").GetString(),
                firstSeenAt = startedAt,
                lastSeenAt = startedAt,
                lastRunId = runId,
                lastOutcome = outcome,
                lastStatus = status,
            });
            await Execute(connection, "INSERT INTO finding_states VALUES ($tenant, $id, $run, $seen, $json)",
                ("$tenant", tenantId), ("$id", f.GetProperty("findingId").GetString()), ("$run", runId), ("$seen", Time(startedAt)), ("$json", state));
        }
    }

    private static async Task Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
