using System.Net;
using Npgsql;

namespace Plaza.Testing;

/// <summary>
/// What outlives a node's process: its store (a SQLite data directory, or a database on the PostgreSQL
/// named by PLAZA_TEST_POSTGRES) and, for a node on the network, its address. A node started again on
/// the same one finds what the last one wrote, at the same origin.
/// </summary>
public sealed class NodeStore : IAsyncDisposable
{
    public const string PostgresVariable = "PLAZA_TEST_POSTGRES";

    public NodeStore(Store kind, string prefix = "plaza_test_")
    {
        Kind = kind;
        DataDir = Path.Combine(Path.GetTempPath(), "plaza-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDir);
        if (kind == Store.Postgres)
        {
            PostgresAdmin = Environment.GetEnvironmentVariable(PostgresVariable);
            Database = prefix + Guid.NewGuid().ToString("N")[..12];
        }
    }

    /// <summary>A store for a node that listens at <paramref name="address"/>, on a port kept for its restarts.</summary>
    public NodeStore(IPAddress address, bool postgres) : this(postgres ? Store.Postgres : Store.Sqlite, "plaza_node_")
    {
        Address = address;
        Port = FreePort.Next(address);
    }

    public Store Kind { get; }
    public string DataDir { get; }
    public string? Database { get; }
    public IPAddress? Address { get; }
    public int Port { get; private set; }

    /// <summary>A node has started and served on this store: its origin is in what it stored, so its port must stay.</summary>
    public bool Served { get; internal set; }

    /// <summary>Another free port, for a first start whose port was taken before the node bound it.</summary>
    public void PickPort()
    {
        if (Served || Address is null)
        {
            throw new InvalidOperationException("Only a store no node has served from, on an address, may change its port.");
        }
        Port = FreePort.Next(Address);
    }
    public string Origin => $"http://{Address}:{Port}";
    public string Host => Address?.ToString() ?? "localhost";

    /// <summary>A connection string to the server's maintenance database (a PostgreSQL store).</summary>
    public string? PostgresAdmin { get; }

    public string? ConnectionString => Database is null ? null
        : new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = Database }.ToString();

    /// <summary>The file of a SQLite store (the node makes it on start unless a test has filled it before).</summary>
    public string SqliteFile => Path.Combine(DataDir, "plaza.db");

    /// <summary>A node has started on this store (or tried to): what is in it is that node's, not a template's.</summary>
    internal bool Used { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is cleaned with the temp directory.
        }
    }
}
