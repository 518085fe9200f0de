using Microsoft.Data.Sqlite;

namespace Compliance.Reporting.Store.Sqlite;

/// <summary>The tables of the embedded store. Times are UTC text that sorts in time order (<see cref="StoreJson.Time"/>).</summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    public const string Create = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS runs (
            run_id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            claimed_at TEXT,
            previous_run_id TEXT,
            trigger TEXT,
            packs TEXT NOT NULL,
            rule_ids TEXT NOT NULL,
            counts TEXT
        );
        CREATE INDEX IF NOT EXISTS runs_by_tenant ON runs (tenant_id, started_at);
        CREATE TABLE IF NOT EXISTS run_scopes (
            run_id TEXT NOT NULL,
            scope_key TEXT NOT NULL,
            scope_id TEXT NOT NULL,
            display_name TEXT,
            status TEXT NOT NULL,
            error TEXT,
            completed_at TEXT,
            ordinal INTEGER NOT NULL,
            PRIMARY KEY (run_id, scope_key)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS findings (
            run_id TEXT NOT NULL,
            finding_id TEXT NOT NULL,
            scope_id TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            pack_id TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            outcome TEXT NOT NULL,
            severity TEXT NOT NULL,
            history_status TEXT,
            carried INTEGER NOT NULL DEFAULT 0,
            json TEXT NOT NULL,
            UNIQUE (run_id, finding_id)
        );
        CREATE TABLE IF NOT EXISTS finding_states (
            tenant_id TEXT NOT NULL,
            finding_id TEXT NOT NULL,
            last_run_id TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            json TEXT NOT NULL,
            UNIQUE (tenant_id, finding_id)
        );
        CREATE TABLE IF NOT EXISTS notifications (
            run_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            status TEXT,
            detail TEXT,
            completed_at TEXT,
            PRIMARY KEY (run_id, channel)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS suppressions (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        INSERT OR IGNORE INTO store_info (key, value) VALUES ('schemaVersion', '1');
        """;

    /// <summary>
    /// Adds what later versions added to a store file written by an earlier one. Only columns are
    /// added, which earlier versions ignore, so the schema version stays the same.
    /// </summary>
    public static async Task UpgradeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM pragma_table_info('notifications')";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(reader.GetString(0));
            }
        }

        foreach (var column in new[] { "status", "detail", "completed_at" }.Where(c => !columns.Contains(c)))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"ALTER TABLE notifications ADD COLUMN {column} TEXT";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
