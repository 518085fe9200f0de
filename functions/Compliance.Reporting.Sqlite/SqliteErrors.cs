using Compliance.Reporting.Store;
using Microsoft.Data.Sqlite;

namespace Compliance.Reporting.Sqlite;

/// <summary>What SQLite's result codes mean for a user of the store, as a message that says what to do.</summary>
internal static class SqliteErrors
{
    // Primary result codes: https://www.sqlite.org/rescode.html
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    public static ReportStoreException Explain(SqliteException ex, string path, SqliteStoreOptions options, bool exists) =>
        new((ex.SqliteErrorCode & 0xFF) switch
        {
            // An existing file that cannot be opened to write: the file or its folder is read-only.
            CantOpen when exists && !options.ReadOnly => ReadOnlyMessage(path),
            Busy or Locked => $"the report store {path} is locked by another process (another scan writing to it?) and stayed locked for {options.BusyTimeout.TotalSeconds:0} s (Store:Sqlite:BusyTimeout): try again when it is done",
            Full => $"the report store {path} is full: the disk has no space left{(options.MaxSizeMegabytes is { } max ? $" or the store reached its limit of {max} MiB (Store:Sqlite:MaxSizeMegabytes)" : string.Empty)}; free some space (or prune with --retention-days) and scan again — nothing of this scan was stored",
            ReadOnly => ReadOnlyMessage(path),
            CantOpen => $"cannot open the report store {path}: {ex.Message}",
            Corrupt or NotADatabase => $"{path} is not a readable report store ({ex.Message}): point --store at another file, or move this one away",
            IoError => $"the report store {path} could not be read or written (I/O error: {ex.Message})",
            _ => $"the report store {path} failed: {ex.Message}",
        }, ex);

    private static string ReadOnlyMessage(string path) =>
        $"the report store {path} cannot be written (the file or its folder is read-only): scans need to write; 'compliance runs', 'findings' and 'export' only read";
}
