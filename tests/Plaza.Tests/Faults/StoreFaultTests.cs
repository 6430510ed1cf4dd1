using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Faults;

/// <summary>
/// The store fails under a running node: SQLite's files cannot be written, or PostgreSQL stops
/// taking the node's connections. Customers get a clear 503 problem (and Retry-After), nothing
/// half-written stays behind, and the same process takes orders again once the fault is gone.
/// </summary>
public sealed class StoreFaultTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Orders_get_a_503_problem_while_the_store_fails_and_succeed_again_without_a_restart(Store store)
    {
        await using var node = NodeProcess.Create(store);
        await node.StartAsync();
        var items = await NodeOrders.ItemsAsync(node);
        using var client = NodeOrders.Client(node);
        for (var n = 0; n < 3; n++)
        {
            await Asserts.CreatedAsync(await NodeOrders.PlaceAsync(client, Guid.NewGuid().ToString("N"), items));
        }
        var before = await NodeOrders.StoredAsync(node);

        var refused = new List<string>();
        await using (await StoreFault.InjectAsync(node))
        {
            for (var n = 0; n < 10; n++)
            {
                var key = Guid.NewGuid().ToString("N");
                using var response = await NodeOrders.PlaceAsync(client, key, items);
                await Asserts.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
                Assert.NotNull(response.Headers.RetryAfter);
                refused.Add(key);
            }
            // An operator's monitor sees it too, on either store.
            await Asserts.ProblemAsync(await client.GetAsync(new Uri("/healthz", UriKind.Relative)), HttpStatusCode.ServiceUnavailable, "unavailable");
        }

        // No restart: the node's next order after the fault succeeds on its own.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpStatusCode status;
        do
        {
            using var response = await NodeOrders.PlaceAsync(client, Guid.NewGuid().ToString("N"), items);
            status = response.StatusCode;
            if (status != HttpStatusCode.Created)
            {
                await Task.Delay(200);
            }
        }
        while (status != HttpStatusCode.Created && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        // A refused order left nothing behind: retried with its key it is placed now, not replayed.
        foreach (var key in refused)
        {
            using var response = await NodeOrders.PlaceAsync(client, key, items);
            await Asserts.CreatedAsync(response);
            Assert.False(response.Headers.Contains("Idempotent-Replayed"), $"Order {key} was refused with a 503 but had been stored.");
        }
        var after = await NodeOrders.StoredAsync(node);
        Assert.Equal(before.Count + 1 + refused.Count, after.Count);
        Assert.All(refused, key => Assert.Single(after[key]));
        await NodeOrders.AssertWholeAsync(node);
        if (store == Store.Sqlite)
        {
            await using var connection = new SqliteConnection($"Data Source={node.DatabaseFile};Pooling=false");
            await connection.OpenAsync();
            await using var check = new SqliteCommand("PRAGMA integrity_check", connection);
            Assert.Equal("ok", await check.ExecuteScalarAsync());
        }
    }

    /// <summary>A store fault until disposed.</summary>
    private sealed class StoreFault(Func<Task> undo) : IAsyncDisposable
    {
        /// <summary>
        /// SQLite: the database and its write-ahead log are made immutable (<c>chattr +i</c>), which
        /// refuses writes even to root — the tests run as root, where a read-only mode would be ignored —
        /// and even through file handles the node already holds. The shared-memory index (-shm) is left
        /// alone: it is mapped into memory, and a refused write there would be a SIGBUS, not an error.
        /// PostgreSQL: the node's database stops accepting connections and its sessions are ended,
        /// which is what the node sees of a stopped server, without stopping the server the other
        /// tests share.
        /// </summary>
        public static async Task<StoreFault> InjectAsync(NodeProcess node)
        {
            if (node.Postgres is not { } postgres)
            {
                string[] files = [node.DatabaseFile, node.DatabaseFile + "-wal"];
                await ChattrAsync("+i", files);
                return new StoreFault(() => ChattrAsync("-i", files));
            }
            await AdminAsync(postgres.Admin,
                $"""ALTER DATABASE "{postgres.Database}" ALLOW_CONNECTIONS false""",
                $"""SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{postgres.Database}' AND pid <> pg_backend_pid()""");
            return new StoreFault(async () =>
            {
                await AdminAsync(postgres.Admin, $"""ALTER DATABASE "{postgres.Database}" ALLOW_CONNECTIONS true""");
                // The test's own pooled connections to that database were ended too.
                NpgsqlConnection.ClearAllPools();
            });
        }

        public async ValueTask DisposeAsync() => await undo();

        private static async Task ChattrAsync(string change, string[] files)
        {
            using var chattr = Process.Start(new ProcessStartInfo("chattr", [change, .. files]) { RedirectStandardError = true })
                ?? throw new InvalidOperationException("chattr did not start.");
            var error = await chattr.StandardError.ReadToEndAsync();
            await chattr.WaitForExitAsync();
            Assert.True(chattr.ExitCode == 0, $"chattr {change} failed ({error.Trim()}): this test needs root and a file system with the immutable flag (ext4, xfs, btrfs).");
        }

        private static async Task AdminAsync(string admin, params string[] statements)
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
