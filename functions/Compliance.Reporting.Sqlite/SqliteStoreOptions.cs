using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Sqlite;

/// <summary>Where the embedded store lives and how it is opened (section "Store:Sqlite").</summary>
public sealed class SqliteStoreOptions
{
    public const string Section = "Store:Sqlite";

    /// <summary>The database file; created with its folder on first use (unless <see cref="ReadOnly"/>).</summary>
    public string Path { get; set; } = System.IO.Path.Combine(".compliance", "compliance.db");

    /// <summary>How long a command waits for another writer (two scans on one file) before it says the store is locked.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Opened only to read (runs, findings, export): nothing is created or changed, and a read-only file or folder is fine.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>A size limit for the file, in MiB; writes beyond it fail with a clear message, as on a full disk. Null: no limit.</summary>
    public int? MaxSizeMegabytes { get; set; }
}

/// <summary>Checks <see cref="SqliteStoreOptions"/> at start-up, naming the setting.</summary>
public sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add("Store:Sqlite:Path must name a file");
        }

        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            failures.Add("Store:Sqlite:BusyTimeout must be positive");
        }

        if (options.MaxSizeMegabytes is < 1)
        {
            failures.Add("Store:Sqlite:MaxSizeMegabytes must be at least 1");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
