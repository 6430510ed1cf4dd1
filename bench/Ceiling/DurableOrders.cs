using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Plaza.Bench.Ceiling;

/// <summary>
/// The durable write ceiling: what a minimal program reaches storing an order-shaped row set (one order row, three
/// line rows, one counter update) on this disk. Requests queue; one writer takes everything queued (up to 256) into
/// one transaction and acknowledges each request only after the commit: group commit, as Plaza's order writer does.
/// SQLite runs in WAL with synchronous=FULL (Plaza's settings); PostgreSQL with whatever the cluster says (the bench
/// starts it with fsync and synchronous_commit on), each batch sent as one round trip. No ORM, no validation, no
/// idempotency key, no outbox: the rate Plaza's order rate is divided by.
/// </summary>
public sealed class DurableOrders(Func<DbConnection> connect, bool postgres) : BackgroundService
{
    private const int MaxBatch = 256;
    private readonly Channel<TaskCompletionSource<long>> queue =
        Channel.CreateUnbounded<TaskCompletionSource<long>>(new UnboundedChannelOptions { SingleReader = true });

    public static DurableOrders? From(IConfiguration configuration)
    {
        if (configuration["Sqlite"] is { Length: > 0 } file)
        {
            return new DurableOrders(() => new SqliteConnection($"Data Source={file};Pooling=false"), postgres: false);
        }
        if (configuration["Postgres"] is { Length: > 0 } connection)
        {
            return new DurableOrders(() => new NpgsqlConnection(connection), postgres: true);
        }
        return null;
    }

    /// <summary>Completes with the order's number once the transaction holding it has committed.</summary>
    public Task<long> StoreAsync()
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!queue.Writer.TryWrite(done))
        {
            done.SetException(new InvalidOperationException("Stopping."));
        }
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = connect();
        await connection.OpenAsync(stoppingToken);
        await ExecuteAsync(connection, postgres
            ? """
              CREATE TABLE IF NOT EXISTS orders (id uuid PRIMARY KEY, shop_id int NOT NULL, number bigint NOT NULL, total bigint NOT NULL,
                  placed_at timestamptz NOT NULL, customer text NOT NULL);
              CREATE TABLE IF NOT EXISTS order_lines (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id uuid NOT NULL,
                  item_id int NOT NULL, quantity int NOT NULL, price bigint NOT NULL, name text NOT NULL);
              CREATE INDEX IF NOT EXISTS order_lines_order ON order_lines (order_id);
              CREATE TABLE IF NOT EXISTS counters (shop_id int PRIMARY KEY, next bigint NOT NULL);
              INSERT INTO counters VALUES (1, 0) ON CONFLICT DO NOTHING;
              """
            : """
              PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
              CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, shop_id INTEGER NOT NULL, number INTEGER NOT NULL, total INTEGER NOT NULL,
                  placed_at TEXT NOT NULL, customer TEXT NOT NULL);
              CREATE TABLE IF NOT EXISTS order_lines (id INTEGER PRIMARY KEY, order_id TEXT NOT NULL, item_id INTEGER NOT NULL,
                  quantity INTEGER NOT NULL, price INTEGER NOT NULL, name TEXT NOT NULL);
              CREATE INDEX IF NOT EXISTS order_lines_order ON order_lines (order_id);
              CREATE TABLE IF NOT EXISTS counters (shop_id INTEGER PRIMARY KEY, next INTEGER NOT NULL);
              INSERT OR IGNORE INTO counters VALUES (1, 0);
              """);
        var next = Convert.ToInt64(await ScalarAsync(connection, "SELECT next FROM counters WHERE shop_id = 1"), System.Globalization.CultureInfo.InvariantCulture);
        var batch = new List<TaskCompletionSource<long>>(MaxBatch);
        // Not stoppingToken: on shutdown the queue completes and drains, so no request is left hanging.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }
            var first = next + 1;
            try
            {
                await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
                next = postgres ? await WritePostgresAsync((NpgsqlConnection)connection, (NpgsqlTransaction)tx, batch.Count, next)
                    : await WriteSqliteAsync((SqliteConnection)connection, (SqliteTransaction)tx, batch.Count, next);
                await tx.CommitAsync(CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].TrySetResult(first + i);
                }
            }
            catch (Exception e)
            {
                next = first - 1;
                batch.ForEach(request => request.TrySetException(e));
            }
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private static readonly (int Item, int Quantity, long Price, string Name)[] Lines =
        [(1, 2, 250, "Espresso"), (2, 1, 380, "Flat white"), (3, 1, 320, "Croissant")];

    private static async Task<long> WriteSqliteAsync(SqliteConnection connection, SqliteTransaction tx, int count, long next)
    {
        // Prepared once per batch, executed per row: SQLite runs in this process, so a statement costs no round trip.
        await using var order = Command(connection, tx, "INSERT INTO orders VALUES ($id, 1, $number, 1200, $at, 'Guest')", "$id", "$number", "$at");
        await using var line = Command(connection, tx, "INSERT INTO order_lines (order_id, item_id, quantity, price, name) VALUES ($order, $item, $quantity, $price, $name)",
            "$order", "$item", "$quantity", "$price", "$name");
        await using var counter = Command(connection, tx, "UPDATE counters SET next = $next WHERE shop_id = 1", "$next");
        for (var i = 0; i < count; i++)
        {
            var id = Guid.CreateVersion7().ToString();
            next++;
            await RunAsync(order, id, next, DateTime.UtcNow.ToString("O"));
            foreach (var (item, quantity, price, name) in Lines)
            {
                await RunAsync(line, id, item, quantity, price, name);
            }
            await RunAsync(counter, next);
        }
        return next;
    }

    private static async Task<long> WritePostgresAsync(NpgsqlConnection connection, NpgsqlTransaction tx, int count, long next)
    {
        // The whole batch in one round trip.
        await using var batch = new NpgsqlBatch(connection, tx);
        for (var i = 0; i < count; i++)
        {
            var id = Guid.CreateVersion7();
            next++;
            batch.BatchCommands.Add(BatchCommand("INSERT INTO orders VALUES ($1, 1, $2, 1200, $3, 'Guest')", id, next, DateTime.UtcNow));
            foreach (var (item, quantity, price, name) in Lines)
            {
                batch.BatchCommands.Add(BatchCommand("INSERT INTO order_lines (order_id, item_id, quantity, price, name) VALUES ($1, $2, $3, $4, $5)",
                    id, item, quantity, price, name));
            }
            batch.BatchCommands.Add(BatchCommand("UPDATE counters SET next = $1 WHERE shop_id = 1", next));
        }
        await batch.ExecuteNonQueryAsync();
        return next;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] names)
    {
        var command = new SqliteCommand(sql, connection, tx);
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        return command;
    }

    private static async Task RunAsync(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
