namespace Compliance.Reporting.Store.Sqlite;

/// <summary>Where the embedded store lives (section "Store:Sqlite").</summary>
public sealed class SqliteStoreOptions
{
    public const string Section = "Store:Sqlite";

    /// <summary>The database file; created with its folder on first use.</summary>
    public string Path { get; set; } = System.IO.Path.Combine(".compliance", "compliance.db");

    /// <summary>How long a command waits for another writer (the Functions host and a CLI may share a file).</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
