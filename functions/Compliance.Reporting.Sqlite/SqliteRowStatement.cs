using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Compliance.Reporting.Sqlite;

/// <summary>
/// A prepared statement run once per row, its parameters (<c>?1</c>, <c>?2</c>, …) bound by position
/// through SQLite's own API. Microsoft.Data.Sqlite looks every parameter up by name and builds a data
/// reader on each execution; for the millions of rows a run stages and finalises, that costs more
/// than SQLite's work. Runs on the connection's open transaction; a failure (a full disk, a locked
/// file) is the same <see cref="SqliteException"/> Microsoft.Data.Sqlite throws.
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteRowStatement(SqliteConnection connection, string sql)
    {
        _statement = Prepare(connection, sql, out _db);
    }

    /// <summary>Prepares a statement on the connection's handle; SQL that does not compile is a <see cref="SqliteException"/>.</summary>
    internal static sqlite3_stmt Prepare(SqliteConnection connection, string sql, out sqlite3 db)
    {
        db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        return statement;
    }

    /// <summary>Runs the statement with these values (null, a number, text or bytes), in parameter order.</summary>
    public void Run(params object?[] values)
    {
        Bind(_db, _statement, values);
        Step();
    }

    /// <summary>Binds values (null, a number, text or bytes) to a statement's parameters in order.</summary>
    internal static void Bind(sqlite3 db, sqlite3_stmt statement, object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 0; i < values.Length; i++)
        {
            var rc = values[i] switch
            {
                null => raw.sqlite3_bind_null(statement, i + 1),
                long number => raw.sqlite3_bind_int64(statement, i + 1, number),
                int number => raw.sqlite3_bind_int64(statement, i + 1, number),
                string text => raw.sqlite3_bind_text(statement, i + 1, text),
                byte[] bytes => raw.sqlite3_bind_blob(statement, i + 1, bytes),
                var other => throw new ArgumentException($"cannot store a {other.GetType().Name}", nameof(values)),
            };
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    /// <summary>Binds a number to parameter <paramref name="parameter"/> (from 1), for <see cref="Step"/>.</summary>
    public SqliteRowStatement Bind(int parameter, long value) => Checked(raw.sqlite3_bind_int64(_statement, parameter, value));

    /// <summary>Binds bytes (copied by SQLite) as a blob.</summary>
    public SqliteRowStatement BindBlob(int parameter, ReadOnlySpan<byte> bytes) => Checked(raw.sqlite3_bind_blob(_statement, parameter, bytes));

    /// <summary>Binds UTF-8 bytes (copied by SQLite) as text.</summary>
    public SqliteRowStatement BindText(int parameter, ReadOnlySpan<byte> utf8) => Checked(raw.sqlite3_bind_text(_statement, parameter, utf8));

    public SqliteRowStatement BindNull(int parameter) => Checked(raw.sqlite3_bind_null(_statement, parameter));

    /// <summary>Runs the statement with the values bound one by one (<see cref="Bind(int, long)"/>, …), without boxing them.</summary>
    public void Step()
    {
        var step = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(step, _db);
        }
    }

    public void Dispose() => _statement.Dispose();

    private SqliteRowStatement Checked(int rc)
    {
        SqliteException.ThrowExceptionForRC(rc, _db);
        return this;
    }
}
