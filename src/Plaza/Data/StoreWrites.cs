using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Plaza.Data;

/// <summary>
/// Tells, without reading a table, whether anything has been committed to the store since an earlier look: a
/// <see cref="Stamp"/> that differs from the one taken before means some connection — of this process or any
/// other on the same file — committed in between. On SQLite it is <c>PRAGMA data_version</c> on a connection of
/// its own (SQLite's documented way for one connection to learn of other connections' commits); a stamp taken
/// after a commit returns always sees it, so a cache checked against it is as exact as a read of the rows.
/// PostgreSQL has no such cheap, synchronous signal (a NOTIFY arrives after the commit, not with it), so there the
/// stamp is always null and callers read the rows.
/// </summary>
public sealed class StoreWrites : IDisposable
{
    private readonly string? connectionString;
    private readonly Lock gate = new();
    private SqliteConnection? connection;
    private sqlite3_stmt? statement;
    private bool disposed;
    private long looksBegun;
    private long lastLook;
    private long? lastStamp;

    private StoreWrites(string? connectionString) => this.connectionString = connectionString;

    /// <summary>For a store that gives no stamp: every <see cref="Stamp"/> is null.</summary>
    public static StoreWrites None() => new(null);

    public static StoreWrites ForSqlite(string connectionString) =>
        new(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());

    /// <summary>
    /// A value that changes whenever any connection commits to the store; null when this store cannot tell
    /// (PostgreSQL, or the SQLite file could not be read), and the caller must read the rows.
    /// </summary>
    public long? Stamp()
    {
        if (connectionString is null)
        {
            return null;
        }
        // Callers that queue behind a look begun before they arrived wait for it, and then may take the answer of
        // a look begun after they arrived instead of making one more: it saw every commit finished before they came.
        var arrived = Volatile.Read(ref looksBegun);
        lock (gate)
        {
            if (disposed)
            {
                return null;
            }
            if (lastLook > arrived)
            {
                return lastStamp;
            }
            var look = ++looksBegun;
            lastStamp = Look();
            lastLook = look;
            return lastStamp;
        }
    }

    /// <summary>One <c>PRAGMA data_version</c>, through SQLite's own calls (no reader or command objects per look).</summary>
    private long? Look()
    {
        try
        {
            if (statement is null)
            {
                connection = new SqliteConnection(connectionString);
                connection.Open();
                Check(raw.sqlite3_prepare_v2(connection.Handle, "PRAGMA data_version;", out var prepared));
                statement = prepared;
            }
            try
            {
                Check(raw.sqlite3_step(statement), raw.SQLITE_ROW);
                return raw.sqlite3_column_int64(statement, 0);
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }
        catch (SqliteException)
        {
            // Never guess: without a stamp the caller reads the rows, which is slower and still exact; the next look opens anew.
            Close();
            return null;
        }
    }

    private static void Check(int result, int expected = raw.SQLITE_OK)
    {
        if (result != expected)
        {
            throw new SqliteException(raw.sqlite3_errstr(result).utf8_to_string(), result);
        }
    }

    private void Close()
    {
        statement?.Dispose();
        connection?.Dispose();
        statement = null;
        connection = null;
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            Close();
        }
    }
}
