using Microsoft.Data.Sqlite;

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
    private SqliteCommand? dataVersion;
    private bool disposed;

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
        lock (gate)
        {
            if (disposed)
            {
                return null;
            }
            try
            {
                if (dataVersion is null)
                {
                    connection = new SqliteConnection(connectionString);
                    connection.Open();
                    dataVersion = connection.CreateCommand();
                    dataVersion.CommandText = "PRAGMA data_version;";
                }
                return (long)dataVersion.ExecuteScalar()!;
            }
            catch (SqliteException)
            {
                // Never guess: without a stamp the caller reads the rows, which is slower and still exact; the next look opens anew.
                Close();
                return null;
            }
        }
    }

    private void Close()
    {
        dataVersion?.Dispose();
        connection?.Dispose();
        dataVersion = null;
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
