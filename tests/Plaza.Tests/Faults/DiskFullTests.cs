using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Faults;

/// <summary>
/// The disk under a SQLite node fills up while customers order: the node's data directory is on a
/// small tmpfs this test mounts, and a ballast file takes every free byte. Orders are refused with
/// a clear 503 problem, no order that was acknowledged is lost, the file stays intact, and once
/// the ballast is gone the same process takes orders again.
/// </summary>
public sealed class DiskFullTests
{
    [Fact]
    public async Task Orders_get_a_503_problem_while_the_disk_is_full_and_succeed_again_once_space_is_freed()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 48);
        var acknowledged = new Dictionary<string, Guid>();
        await using (var node = NodeProcess.Create(Store.Sqlite, Path.Combine(disk.Path, "data")))
        {
            // A disk this small is always under the readiness threshold (64 MB); the test is about SQLite's own refusals.
            node.Settings["Plaza:Disk:ReadyAboveMegabytes"] = "1";
            await node.StartAsync();
            var items = await NodeOrders.ItemsAsync(node);
            using var client = NodeOrders.Client(node);
            for (var n = 0; n < 5; n++)
            {
                await PlaceAcknowledgedAsync(client, items, acknowledged);
            }

            // Start from an empty write-ahead log, so the next commit must take new space on the disk
            // rather than reuse log pages it already holds.
            await CheckpointAsync(node.DatabaseFile);
            var ballast = Path.Combine(disk.Path, "ballast");
            FillUp(ballast);

            // Orders keep coming. Whatever the node acknowledges still counts; once the disk is out of
            // room each order gets a 503 problem (with Retry-After) and nothing is half-written.
            var refused = new List<string>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (refused.Count < 10 && DateTime.UtcNow < deadline)
            {
                var key = Guid.NewGuid().ToString("N");
                using var response = await NodeOrders.PlaceAsync(client, key, items);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged[key] = (await response.JsonAsync()).GetProperty("id").GetGuid();
                    continue;
                }
                await Asserts.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
                Assert.NotNull(response.Headers.RetryAfter);
                refused.Add(key);
            }
            Assert.True(refused.Count == 10, $"The node kept taking orders on a full disk ({acknowledged.Count} acknowledged):\n{node.Log}");

            // Space comes back; the same process takes orders again without a restart.
            File.Delete(ballast);
            var recovered = DateTime.UtcNow.AddSeconds(20);
            HttpStatusCode status;
            do
            {
                var key = Guid.NewGuid().ToString("N");
                using var response = await NodeOrders.PlaceAsync(client, key, items);
                status = response.StatusCode;
                if (status == HttpStatusCode.Created)
                {
                    acknowledged[key] = (await response.JsonAsync()).GetProperty("id").GetGuid();
                }
                else
                {
                    await Task.Delay(200);
                }
            }
            while (status != HttpStatusCode.Created && DateTime.UtcNow < recovered);
            Assert.Equal(HttpStatusCode.Created, status);

            // A refused order left nothing behind: retried with its key it is placed now, not replayed.
            foreach (var key in refused)
            {
                using var response = await NodeOrders.PlaceAsync(client, key, items);
                var order = await Asserts.CreatedAsync(response);
                Assert.False(response.Headers.Contains("Idempotent-Replayed"), $"Order {key} was refused with a 503 but had been stored.");
                acknowledged[key] = order.GetProperty("id").GetGuid();
            }

            var stored = await NodeOrders.StoredAsync(node);
            foreach (var (key, id) in acknowledged)
            {
                Assert.True(stored.TryGetValue(key, out var ids) && ids is [var only] && only == id, $"Acknowledged order {id} (key {key}) is not stored exactly once.");
            }
            Assert.Equal(acknowledged.Count, stored.Values.Sum(ids => ids.Count));
            await NodeOrders.AssertWholeAsync(node);
            await using var connection = new SqliteConnection($"Data Source={node.DatabaseFile};Pooling=false");
            await connection.OpenAsync();
            await using var check = new SqliteCommand("PRAGMA integrity_check", connection);
            Assert.Equal("ok", await check.ExecuteScalarAsync());
        }
    }

    private static async Task PlaceAcknowledgedAsync(HttpClient client, string items, Dictionary<string, Guid> acknowledged)
    {
        var key = Guid.NewGuid().ToString("N");
        var order = await Asserts.CreatedAsync(await NodeOrders.PlaceAsync(client, key, items));
        acknowledged[key] = order.GetProperty("id").GetGuid();
    }

    private static async Task CheckpointAsync(string databaseFile)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=false");
        await connection.OpenAsync();
        await using var checkpoint = new SqliteCommand("PRAGMA wal_checkpoint(TRUNCATE)", connection);
        await checkpoint.ExecuteNonQueryAsync();
    }

    /// <summary>Writes zeros until the file system refuses (ENOSPC); the disk is then really full.</summary>
    private static void FillUp(string path)
    {
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full. Smaller writes take what is left of the last block.
        }
        try
        {
            while (true)
            {
                file.Write(chunk.AsSpan(0, 512));
            }
        }
        catch (IOException)
        {
            // Nothing left.
        }
    }

    /// <summary>A tmpfs of a few megabytes, mounted for one test and unmounted when disposed.</summary>
    private sealed class SmallDisk(string path) : IAsyncDisposable
    {
        public string Path { get; } = path;

        /// <summary>
        /// Mounting needs root (./test.sh and CI run as root). Without it the test fails with a
        /// message rather than skipping: a skipped fault test would hide a missing protection.
        /// </summary>
        public static async Task<SmallDisk> MountAsync(int megabytes)
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "plaza-disk-full-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(path);
            var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", path);
            if (code != 0)
            {
                Directory.Delete(path);
                Assert.Fail($"mount -t tmpfs failed ({error.Trim()}): this test needs root (or CAP_SYS_ADMIN) to mount a small file system it can fill.");
            }
            return new SmallDisk(path);
        }

        public async ValueTask DisposeAsync()
        {
            // The node is stopped by now; a lazy unmount still detaches the file system if something holds a file.
            var (code, _) = await RunAsync("umount", Path);
            if (code != 0)
            {
                await RunAsync("umount", "-l", Path);
            }
            Directory.Delete(Path, recursive: true);
        }

        private static async Task<(int Code, string Error)> RunAsync(string file, params string[] args)
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })
                ?? throw new InvalidOperationException($"{file} did not start.");
            var error = await process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, error);
        }
    }
}
