namespace Compliance.Reporting.Sqlite;

/// <summary>
/// The tables of the embedded store, schema 2. Findings are compact: a rule's metadata once
/// (<c>rules</c>, shared by every run with the same rule version), a resource once per run
/// (<c>resources</c>), a finding as ids, outcome and status with its detail (reason, evidence,
/// suppression) only when it says something. A run's findings are kept by resource (a 64-bit key
/// of the resource id) then finding id, so reading them walks the resources in order too. While a
/// run records, findings are appended to <c>staged_*</c> in arrival order; its finalisation moves
/// them into place in one sorted pass, so no write lands at a random place of a large table.
/// Finding states are kept only for findings that left the latest run. Times are UTC text that
/// sorts in time order; finding states keep Unix milliseconds.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 2;

    /// <summary>Larger pages keep a failing finding's detail (reason and evidence, a kilobyte or two) in its row.</summary>
    public const int PageSize = 16384;

    /// <summary>The staging tables, in the attached staging file ("stage").</summary>
    public const string CreateStage = """
        CREATE TABLE IF NOT EXISTS stage.staged_findings (
            seq INTEGER PRIMARY KEY,
            run_key INTEGER NOT NULL,
            finding_id BLOB NOT NULL,
            rule_key INTEGER NOT NULL,
            resource_key INTEGER NOT NULL,
            outcome INTEGER NOT NULL,
            detail TEXT
        );
        CREATE TABLE IF NOT EXISTS stage.staged_resources (
            seq INTEGER PRIMARY KEY,
            run_key INTEGER NOT NULL,
            resource_key INTEGER NOT NULL,
            resource_id TEXT NOT NULL,
            name TEXT,
            type TEXT NOT NULL,
            location TEXT,
            subscription_id TEXT,
            tags TEXT
        );
        """;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS runs (
            run_key INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL UNIQUE,
            tenant_id TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            claimed_at TEXT,
            previous_run_id TEXT,
            trigger TEXT,
            packs TEXT NOT NULL,
            rule_ids TEXT NOT NULL,
            counts TEXT,
            provenance TEXT,
            suspect_reason TEXT,
            changes_accepted INTEGER NOT NULL DEFAULT 0,
            abandoned_reason TEXT,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX IF NOT EXISTS runs_by_tenant ON runs (tenant_id, started_at);
        CREATE TABLE IF NOT EXISTS run_scopes (
            run_key INTEGER NOT NULL,
            scope_key TEXT NOT NULL,
            scope_id TEXT NOT NULL,
            display_name TEXT,
            status TEXT NOT NULL,
            error TEXT,
            completed_at TEXT,
            collected_at TEXT,
            resources INTEGER,
            sha256 TEXT,
            ordinal INTEGER NOT NULL,
            PRIMARY KEY (run_key, scope_key)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS notifications (
            run_key INTEGER NOT NULL,
            channel TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            status TEXT,
            detail TEXT,
            completed_at TEXT,
            PRIMARY KEY (run_key, channel)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tenants (tenant_key INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS rules (
            rule_key INTEGER PRIMARY KEY,
            digest TEXT NOT NULL UNIQUE,
            severity INTEGER NOT NULL,
            category INTEGER NOT NULL,
            json TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS resources (
            run_key INTEGER NOT NULL,
            resource_key INTEGER NOT NULL,
            resource_id TEXT NOT NULL,
            name TEXT,
            type TEXT NOT NULL,
            location TEXT,
            subscription_id TEXT,
            tags TEXT,
            PRIMARY KEY (run_key, resource_key)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS findings (
            run_key INTEGER NOT NULL,
            finding_id BLOB NOT NULL,
            rule_key INTEGER NOT NULL,
            resource_key INTEGER NOT NULL,
            outcome INTEGER NOT NULL,
            status INTEGER,
            carried INTEGER NOT NULL DEFAULT 0,
            detail TEXT,
            PRIMARY KEY (run_key, resource_key, finding_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS finding_states (
            tenant_key INTEGER NOT NULL,
            resource_key INTEGER NOT NULL,
            finding_id BLOB NOT NULL,
            last_seen INTEGER NOT NULL,
            last_run INTEGER NOT NULL,
            last_outcome INTEGER NOT NULL,
            last_status INTEGER,
            PRIMARY KEY (tenant_key, resource_key, finding_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS suppressions (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        INSERT OR IGNORE INTO store_info (key, value) VALUES ('schemaVersion', '2');
        """;
}
