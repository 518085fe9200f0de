using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Compliance.Reporting.Sqlite;

/// <summary>
/// A query read row by row through SQLite's own API, for the streams that walk a whole run (millions
/// of rows). Microsoft.Data.Sqlite asks for a value's type before every read of it and pins the
/// statement's handle on every call: at a million resources that took more time than SQLite's own
/// work. Here the handle is pinned once, for the reader's life, and each value is one call.
/// Parameters (<c>?1</c>, <c>?2</c>, …) are bound by position; a failure is the same
/// <see cref="SqliteException"/> Microsoft.Data.Sqlite throws, and a busy database is retried for
/// the connection's timeout, as Microsoft.Data.Sqlite does.
/// </summary>
internal sealed unsafe partial class SqliteRowReader : IDisposable
{
    /// <summary>The native library of SQLitePCLRaw.bundle_e_sqlite3, the one Microsoft.Data.Sqlite loads.</summary>
    private const string Library = "e_sqlite3";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly nint _handle;
    private readonly TimeSpan _busyTimeout;
    private bool _pinned;

    public SqliteRowReader(SqliteConnection connection, string sql, params object?[] values)
    {
        _busyTimeout = TimeSpan.FromSeconds(connection.DefaultTimeout);
        _statement = SqliteRowStatement.Prepare(connection, sql, out _db);
        try
        {
            SqliteRowStatement.Bind(_db, _statement, values);
            _statement.DangerousAddRef(ref _pinned);
            _handle = _statement.DangerousGetHandle();
        }
        catch
        {
            _statement.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next row; false after the last.</summary>
    public bool Read()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var rc = raw.sqlite3_step(_statement);
            switch (rc)
            {
                case raw.SQLITE_ROW:
                    return true;
                case raw.SQLITE_DONE:
                    return false;
                case raw.SQLITE_BUSY or raw.SQLITE_LOCKED when waited.Elapsed < _busyTimeout:
                    Thread.Sleep(50);
                    break;
                default:
                    SqliteException.ThrowExceptionForRC(rc, _db);
                    return false;
            }
        }
    }

    public bool IsNull(int column) => Native.sqlite3_column_type(_handle, column) == raw.SQLITE_NULL;

    public long Int64(int column) => Native.sqlite3_column_int64(_handle, column);

    public int Int32(int column) => checked((int)Native.sqlite3_column_int64(_handle, column));

    /// <summary>The value as text, or null when it is NULL.</summary>
    public string? Text(int column)
    {
        var text = Native.sqlite3_column_text(_handle, column);
        return text == 0 ? null : Encoding.UTF8.GetString((byte*)text, Native.sqlite3_column_bytes(_handle, column));
    }

    /// <summary>The value as UTF-8 text, valid until the next <see cref="Read"/>; empty when it is NULL.</summary>
    public ReadOnlySpan<byte> Utf8(int column)
    {
        var text = Native.sqlite3_column_text(_handle, column);
        return text == 0 ? default : new ReadOnlySpan<byte>((void*)text, Native.sqlite3_column_bytes(_handle, column));
    }

    /// <summary>The value's bytes, valid until the next <see cref="Read"/>; empty when it is NULL.</summary>
    public ReadOnlySpan<byte> Blob(int column)
    {
        var blob = Native.sqlite3_column_blob(_handle, column);
        return blob == 0 ? default : new ReadOnlySpan<byte>((void*)blob, Native.sqlite3_column_bytes(_handle, column));
    }

    public void Dispose()
    {
        if (_pinned)
        {
            _statement.DangerousRelease();
            _pinned = false;
        }

        _statement.Dispose();
    }

    private static partial class Native
    {
        [LibraryImport(Library)]
        internal static partial int sqlite3_column_type(nint statement, int column);

        [LibraryImport(Library)]
        internal static partial long sqlite3_column_int64(nint statement, int column);

        [LibraryImport(Library)]
        internal static partial nint sqlite3_column_text(nint statement, int column);

        [LibraryImport(Library)]
        internal static partial nint sqlite3_column_blob(nint statement, int column);

        [LibraryImport(Library)]
        internal static partial int sqlite3_column_bytes(nint statement, int column);
    }
}
