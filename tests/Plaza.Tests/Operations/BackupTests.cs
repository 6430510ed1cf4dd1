using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Operations;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Operations;

/// <summary>
/// Backups and restores, with the real command (<c>dotnet Plaza.dll restore …</c>) onto a new data directory or database:
/// what a node had acknowledged when its backup began is all there after the restore, and an archive that was
/// changed, sealed with another passphrase, or made by a newer Plaza is refused with nothing changed.
/// </summary>
public sealed class BackupTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_backup_taken_while_16_clients_order_restores_every_order_acknowledged_before_it_began(Store store)
    {
        string archive;
        HashSet<Guid> acknowledgedBefore;
        int acknowledgedInAll;
        await using (var app = await PlazaApp.StartAsync(store))
        {
            var shop = await TestShops.CreateAsync(app);
            await WritePhotoAsync(app.DataDir, "shop/one.webp");
            var acknowledged = new ConcurrentQueue<Guid>();
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 16).Select(n => Task.Run(async () =>
            {
                using var client = app.CreateClient();
                for (var i = 0; !stop.IsCancellationRequested && i < 400; i++)
                {
                    var placed = await TestShops.PlaceAsync(client, shop, TestShops.Order(shop, items: [TestShops.Line(shop.Cake.Id)]), $"k{n}-{i}");
                    Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
                    acknowledged.Enqueue((await placed.JsonAsync()).GetProperty("id").GetGuid());
                }
            })).ToList();
            while (acknowledged.Count < 50)
            {
                await Task.Delay(20);
            }

            acknowledgedBefore = [.. acknowledged];
            (archive, var manifest) = await app.Services.GetRequiredService<Backups>().TakeAsync(Backups.Prefix, CancellationToken.None);
            await Task.Delay(200); // orders go on being placed after the backup's snapshot
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            acknowledgedInAll = acknowledged.Count;

            Assert.Equal(store == Store.Sqlite ? "sqlite" : "postgres", manifest.Store);
            Assert.Contains("NeverMissAnOrder", manifest.Schema);
            Assert.Contains(manifest.Files, f => f.Path == "media/shop/one.webp");
            archive = CopyOut(archive);
        }

        await using var target = new NodeStore(store);
        var (exit, output, error) = await PlazaCommandAsync(target, null, "restore", archive);
        Assert.True(exit == 0, $"restore exited {exit}: {error}");
        Assert.Contains("Restored the backup", output, StringComparison.Ordinal);

        await using var restored = await PlazaApp.StartOnAsync(target, configure: RestoredNode);
        var orders = await restored.WithDb(null, db => db.Orders.IgnoreQueryFilters().Select(o => o.Id).ToListAsync());
        Assert.Superset(acknowledgedBefore, orders.ToHashSet());
        Assert.True(orders.Count < acknowledgedInAll + 1, "the backup is one moment's: orders after it are not in it");
        Assert.True(File.Exists(Path.Combine(target.DataDir, "media", "shop", "one.webp")));
        await AssertConsistentAsync(restored);
    }

    [Fact]
    public async Task A_SQLite_backup_restored_onto_a_PostgreSQL_node_keeps_every_row()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PlazaApp.PostgresVariable)))
        {
            Assert.Skip($"Set {PlazaApp.PostgresVariable} to a PostgreSQL connection string (./test.sh starts one).");
        }
        string archive;
        Dictionary<string, List<string>> before;
        await using (var app = await PlazaApp.StartAsync(Store.Sqlite))
        {
            var shop = await TestShops.CreateAsync(app);
            using var client = app.CreateClient();
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.Created, (await TestShops.PlaceAsync(client, shop, TestShops.Order(shop, items: [TestShops.Line(shop.Coffee.Id, 1, shop.Large.Id)]))).StatusCode);
            }
            before = await app.WithDb(null, RowsAsync);
            archive = CopyOut((await app.Services.GetRequiredService<Backups>().TakeAsync(Backups.Prefix, CancellationToken.None)).Path);
        }

        await using var target = new NodeStore(Store.Postgres);
        var (exit, _, error) = await PlazaCommandAsync(target, null, "restore", archive);
        Assert.True(exit == 0, $"restore exited {exit}: {error}");

        await using var moved = await PlazaApp.StartOnAsync(target, configure: RestoredNode);
        var after = await moved.WithDb(null, RowsAsync);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, table => Assert.True(table.Value.SequenceEqual(after[table.Key]), $"{table.Key} differs after the move:\n{string.Join("\n", table.Value.Except(after[table.Key]).Take(3))}"));
        Assert.True(before["Orders"].Count >= 5 && before["Items"].Count > 0, "the moved store held orders and a menu");
        // The moved node goes on numbering where the old one stopped, and its sequences do not collide.
        var shopSlug = await moved.WithDb(null, db => db.Shops.IgnoreQueryFilters().OrderByDescending(s => s.Id).Select(s => s.Slug).FirstAsync());
        var menu = await (await moved.CreateClient().GetAsync($"/api/v1/shops/{shopSlug}/menu")).JsonAsync();
        Assert.True(menu.GetProperty("categories").GetArrayLength() > 0);
        Assert.Equal(HttpStatusCode.OK, (await moved.CreateClient().GetAsync("/healthz/ready")).StatusCode);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_changed_archive_a_wrong_passphrase_and_a_newer_schema_are_refused_and_change_nothing(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, configure: a => a.Settings["Plaza:Backup:Passphrase"] = "长城 long wall");
        var backups = app.Services.GetRequiredService<Backups>();
        var restorer = app.Services.GetRequiredService<Restorer>();
        var (sealedArchive, _) = await backups.TakeAsync(Backups.Prefix, CancellationToken.None);
        Assert.EndsWith(".sealed", sealedArchive, StringComparison.Ordinal);
        var before = await StoreFingerprint.NodeAsync(app);

        var wrong = await Assert.ThrowsAsync<RestoreRefusedException>(() => restorer.RestoreAsync(sealedArchive, force: true, "other words", CancellationToken.None));
        Assert.Contains("passphrase", wrong.Message, StringComparison.Ordinal);

        var changed = sealedArchive + ".changed";
        var bytes = await File.ReadAllBytesAsync(sealedArchive);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(changed, bytes);
        await Assert.ThrowsAsync<RestoreRefusedException>(() => restorer.RestoreAsync(changed, force: true, null, CancellationToken.None));

        // An open archive whose database was swapped for another after the manifest was written.
        var plain = await BuildArchiveAsync(app, schema: null, tamper: true);
        var tampered = await Assert.ThrowsAsync<RestoreRefusedException>(() => restorer.RestoreAsync(plain, force: true, null, CancellationToken.None));
        Assert.Contains("checksum", tampered.Message, StringComparison.Ordinal);

        var future = await BuildArchiveAsync(app, schema: ["Initial", "FromTheFuture"], tamper: false);
        var newer = await Assert.ThrowsAsync<RestoreRefusedException>(() => restorer.RestoreAsync(future, force: true, null, CancellationToken.None));
        Assert.Contains("FromTheFuture", newer.Message, StringComparison.Ordinal);

        // A sound archive onto this node's own store, which holds data: refused without --force.
        var held = await Assert.ThrowsAsync<RestoreRefusedException>(() => restorer.RestoreAsync(sealedArchive, force: false, null, CancellationToken.None));
        Assert.Contains("--force", held.Message, StringComparison.Ordinal);

        Assert.Equal(before, await StoreFingerprint.NodeAsync(app));
        if (store == Store.Postgres)
        {
            // Without pg_dump the node says where to turn instead.
            var tool = backups.Options.PgDump;
            backups.Options.PgDump = "/nonexistent/pg_dump";
            var unavailable = await Assert.ThrowsAsync<BackupUnavailableException>(() => backups.TakeAsync(Backups.Prefix, CancellationToken.None));
            backups.Options.PgDump = tool;
            Assert.Contains("pg_basebackup", unavailable.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_restore_onto_a_data_directory_that_holds_a_store_needs_force_then_brings_back_the_backup()
    {
        int orders;
        await using var source = new NodeStore(Store.Sqlite);
        await using (var app = await PlazaApp.StartOnAsync(source))
        {
            var shop = await TestShops.CreateAsync(app);
            Assert.Equal(HttpStatusCode.Created, (await TestShops.PlaceAsync(app.CreateClient(), shop, TestShops.Order(shop))).StatusCode);
            orders = await Asserts.OrderCountAsync(app);
        }
        var passphrase = Path.Combine(Path.GetTempPath(), $"plaza-pass-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passphrase, "口令\n");
        var backups = Directory.CreateTempSubdirectory("plaza-backups-").FullName;
        // The operator's backup command, with the passphrase as a file (a systemd credential).
        var (made, said, backupError) = await PlazaCommandAsync(source, new() { ["Plaza__Backup__PassphraseFile"] = passphrase }, "backup", "--to", backups);
        Assert.True(made == 0, backupError);
        Assert.Contains("Backup written to", said, StringComparison.Ordinal);
        var archive = Assert.Single(Directory.GetFiles(backups, "plaza-*.tar.gz.sealed"));
        await using var target = new NodeStore(Store.Sqlite);
        await using (var other = await PlazaApp.StartOnAsync(target))
        {
            await TestShops.CreateAsync(other); // the directory now holds a store of its own
        }
        var kept = await File.ReadAllBytesAsync(target.SqliteFile);

        var (refused, _, error) = await PlazaCommandAsync(target, null, "restore", archive, "--passphrase-file", passphrase);
        Assert.Equal(2, refused);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Equal(kept, await File.ReadAllBytesAsync(target.SqliteFile));

        var (forced, _, forcedError) = await PlazaCommandAsync(target, null, "restore", archive, "--force", "--passphrase-file", passphrase);
        Assert.True(forced == 0, forcedError);
        await using var restored = await PlazaApp.StartOnAsync(target, configure: RestoredNode);
        Assert.Equal(orders, await Asserts.OrderCountAsync(restored));
        File.Delete(passphrase);
        Directory.Delete(backups, recursive: true);
    }

    [Fact]
    public async Task The_running_node_backs_up_on_its_schedule_and_keeps_the_newest()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a =>
        {
            a.Settings["Plaza:Backup:Interval"] = "00:00:01";
            a.Settings["Plaza:Backup:FirstAfter"] = "00:00:00";
            a.Settings["Plaza:Backup:Keep"] = "2";
        });
        var backups = app.Services.GetRequiredService<Backups>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var waited = Stopwatch.StartNew();
        while (seen.Count < 4 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            seen.UnionWith(backups.List().Select(f => f.Name));
            await Task.Delay(100);
        }
        Assert.True(seen.Count >= 4, $"the schedule made {seen.Count} backups in 30 s");
        var left = backups.List();
        Assert.Equal(2, left.Count);
        Assert.All(left, f => Assert.StartsWith(Backups.Prefix, f.Name, StringComparison.Ordinal));
    }

    /// <summary>Runs the node's command line (<c>dotnet Plaza.dll …</c>) on <paramref name="store"/>, as an operator would.</summary>
    internal static async Task<(int Exit, string Output, string Error)> PlazaCommandAsync(NodeStore store, Dictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [NodeProcess.PlazaDll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Plaza__DataDir"] = store.DataDir;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (store.Kind == Store.Postgres)
        {
            start.Environment["Plaza__Database__Provider"] = "Postgres";
            start.Environment["ConnectionStrings__Plaza"] = store.ConnectionString;
        }
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>A node on a restored store: it starts on what the restore left (no template, no demo seed).</summary>
    private static void RestoredNode(PlazaApp app)
    {
        app.FreshStore = true;
        app.Settings[DemoShop.Setting] = "false";
    }

    /// <summary>Moves an archive out of the node's data directory, which goes with the node.</summary>
    private static string CopyOut(string archive)
    {
        var copy = Path.Combine(Path.GetTempPath(), "plaza-tests", $"{Guid.NewGuid():N}-{Path.GetFileName(archive)}");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(archive, copy);
        return copy;
    }

    private static async Task WritePhotoAsync(string dataDir, string name)
    {
        var path = Path.Combine(dataDir, "media", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Encoding.ASCII.GetBytes("RIFF0000WEBPVP8 "));
    }

    /// <summary>
    /// An open archive of the node's kind written by hand: with a schema of its choosing, or with its store file changed
    /// after the manifest was written. Either is refused before the store file is read, so any bytes stand in for it.
    /// </summary>
    private static async Task<string> BuildArchiveAsync(PlazaApp app, string[]? schema, bool tamper)
    {
        var work = Path.Combine(Path.GetTempPath(), "plaza-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var name = app.Store == Store.Sqlite ? "plaza.db" : "plaza.pgdump";
        var payload = Path.Combine(work, name);
        await File.WriteAllTextAsync(payload, "the store as it was");
        var current = await app.WithDb(null, db => Task.FromResult(db.Database.GetMigrations().ToList()));
        var manifest = new BackupManifest(1, "test", DateTimeOffset.UtcNow, app.Store == Store.Sqlite ? "sqlite" : "postgres", "http://localhost/",
            schema ?? Backups.Names(current), []);
        var archive = Path.Combine(work, "made.tar.gz");
        await BackupArchive.WriteAsync(archive, manifest, [(name, payload)], null, CancellationToken.None);
        if (!tamper)
        {
            return archive;
        }
        // The archive rebuilt with another file under the same name, the manifest as it was.
        var unpacked = Path.Combine(work, "unpacked");
        Directory.CreateDirectory(unpacked);
        await using (var input = new System.IO.Compression.GZipStream(File.OpenRead(archive), System.IO.Compression.CompressionMode.Decompress))
        {
            await System.Formats.Tar.TarFile.ExtractToDirectoryAsync(input, unpacked, overwriteFiles: false);
        }
        await File.WriteAllTextAsync(Path.Combine(unpacked, name), "the store as someone wished it was");
        var rebuilt = Path.Combine(work, "rebuilt.tar.gz");
        await using (var output = File.Create(rebuilt))
        await using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(unpacked, gzip, includeBaseDirectory: false);
        }
        return rebuilt;
    }

    /// <summary>The restored store is sound: SQLite's own check, and on either store no line or transition without its order.</summary>
    private static async Task AssertConsistentAsync(PlazaApp app)
    {
        if (app.Store == Store.Sqlite)
        {
            await using var connection = new SqliteConnection($"Data Source={app.SqliteFile};Pooling=False");
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", await check.ExecuteScalarAsync());
        }
        await app.WithDb(null, async db =>
        {
            var orders = db.Orders.IgnoreQueryFilters().Select(o => o.Id);
            Assert.Equal(0, await db.OrderLines.IgnoreQueryFilters().CountAsync(l => !orders.Contains(l.OrderId)));
            Assert.Equal(0, await db.OrderTransitions.IgnoreQueryFilters().CountAsync(t => !orders.Contains(t.OrderId)));
            Assert.Equal(await orders.CountAsync(), await db.OrderLines.IgnoreQueryFilters().Select(l => l.OrderId).Distinct().CountAsync());
            return 0;
        });
    }

    /// <summary>Every row of every table as EF reads it (so the two stores' own types compare), each table ordered by key.</summary>
    private static async Task<Dictionary<string, List<string>>> RowsAsync(PlazaDb db)
    {
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entity in db.Model.GetEntityTypes().Where(e => e.BaseType is null && e.GetTableName() is not null && e.FindPrimaryKey() is not null))
        {
            var rows = await ((IQueryable<object>)typeof(BackupTests).GetMethod(nameof(All), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(entity.ClrType).Invoke(null, [db])!).ToListAsync();
            tables[entity.GetTableName()!] = [.. rows.Select(row => string.Join(" | ", entity.GetProperties().Select(p => $"{p.Name}={Text(db.Entry(row).Property(p.Name).CurrentValue)}"))).Order(StringComparer.Ordinal)];
            db.ChangeTracker.Clear();
        }
        return tables;
    }

    private static IQueryable<object> All<T>(PlazaDb db) where T : class => db.Set<T>().IgnoreQueryFilters();

    private static string Text(object? value) => value switch
    {
        null => "null",
        // PostgreSQL keeps instants to the microsecond, SQLite's text to the tenth of one: compared at PostgreSQL's precision.
        DateTime time => time.ToUniversalTime().AddTicks(-(time.Ticks % 10)).ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToUniversalTime().AddTicks(-(time.Ticks % 10)).ToString("O", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexString(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
