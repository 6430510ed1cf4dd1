using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Operations;

/// <summary>A restore that must not go ahead; the message says why and what to do.</summary>
public sealed class RestoreRefusedException(string message) : Exception(message);

/// <summary>
/// Brings a node back to a backup: checks the archive whole (checksums, or the seal) before touching anything,
/// refuses one whose schema this Plaza does not know (a newer one's), refuses a store that already holds data
/// unless forced, then puts the store and the photos in place. A SQLite backup restored onto a node set up for
/// PostgreSQL is copied row by row (<see cref="StoreCopy"/>): moving a growing node is this same command.
/// The node migrates the restored store to its own version when it next starts (taking a backup first).
/// </summary>
public sealed class Restorer(IServiceProvider services, IConfiguration configuration, Backups backups)
{
    public sealed record Result(BackupManifest Manifest, int Shops, int Orders, int Photos);

    public async Task<Result> RestoreAsync(string archive, bool force, string? passphrase, CancellationToken cancellationToken)
    {
        if (!File.Exists(archive))
        {
            throw new RestoreRefusedException(Text.Say("There is no file at {0}.", archive));
        }
        var dataDir = DataSetup.DataDirectory(configuration);
        Directory.CreateDirectory(dataDir);
        var work = Path.Combine(dataDir, $".restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            BackupManifest manifest;
            try
            {
                manifest = await BackupArchive.ExtractAsync(archive, work, passphrase ?? backups.Options.ReadPassphrase(), cancellationToken);
            }
            catch (InvalidDataException e)
            {
                throw new RestoreRefusedException(Text.Say("The archive was refused and nothing was changed: {0}", e.Message));
            }

            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var known = Backups.Names(db.Database.GetMigrations()).ToHashSet(StringComparer.Ordinal);
            if (manifest.Schema.FirstOrDefault(m => !known.Contains(m)) is { } unknown)
            {
                throw new RestoreRefusedException(Text.Say(
                    "The backup was taken by a newer Plaza (its store has migration {0}, which this version does not know). Nothing was changed: restore it with Plaza {1} or later.", unknown, manifest.Plaza));
            }
            var sqlite = db.Database.IsSqlite();
            if (manifest.Store is not ("sqlite" or "postgres"))
            {
                throw new RestoreRefusedException(Text.Say("The archive holds a store of a kind this Plaza does not know ({0}). Nothing was changed.", manifest.Store));
            }
            if (sqlite && manifest.Store == "postgres")
            {
                throw new RestoreRefusedException(Text.Say("This is a PostgreSQL backup; set the node up for PostgreSQL (Plaza:Database:Provider=Postgres) to restore it. Nothing was changed."));
            }

            var photos = Path.Combine(work, "media");
            var photoCount = Directory.Exists(photos) ? Directory.EnumerateFiles(photos, "*", SearchOption.AllDirectories).Count() : 0;
            if (sqlite)
            {
                await RefuseDamagedAsync(Path.Combine(work, "plaza.db"), cancellationToken);
                var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
                if (!force && (File.Exists(file) || HasFiles(backups.MediaRoot)))
                {
                    throw new RestoreRefusedException(Text.Say("{0} already holds a store or photos. Nothing was changed: restore into an empty data directory, or add --force to replace what is there.", dataDir));
                }
                SqliteConnection.ClearAllPools();
                foreach (var stale in new[] { file + "-wal", file + "-shm", file + "-journal" })
                {
                    File.Delete(stale);
                }
                File.Move(Path.Combine(work, "plaza.db"), file, overwrite: true);
            }
            else
            {
                var creator = db.GetService<IRelationalDatabaseCreator>();
                if (!await creator.ExistsAsync(cancellationToken))
                {
                    await creator.CreateAsync(cancellationToken);
                }
                if (await HoldsStoreAsync(db, cancellationToken))
                {
                    if (!force)
                    {
                        throw new RestoreRefusedException(Text.Say("The PostgreSQL database already holds a Plaza store. Nothing was changed: restore into an empty database, or add --force to replace what is there."));
                    }
                    await DropStoreAsync(db, cancellationToken);
                }
                if (manifest.Store == "postgres")
                {
                    await Backups.PgToolAsync(backups.Options.PgRestore, db.Database.GetConnectionString()!,
                        ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", Path.Combine(work, "plaza.pgdump")], cancellationToken);
                }
                else
                {
                    await CopySqliteIntoAsync(Path.Combine(work, "plaza.db"), db, cancellationToken);
                }
            }
            ReplaceDirectory(photos, backups.MediaRoot);

            await using var after = services.CreateAsyncScope();
            var restored = after.ServiceProvider.GetRequiredService<PlazaDb>();
            var shops = await CountAsync(restored, "Shops", cancellationToken);
            var orders = await CountAsync(restored, "Orders", cancellationToken);
            return new(manifest, shops, orders, photoCount);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A copy that SQLite itself finds damaged is not put in place.</summary>
    private static async Task RefuseDamagedAsync(string file, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        if (await check.ExecuteScalarAsync(cancellationToken) is not "ok" and var problem)
        {
            throw new RestoreRefusedException(Text.Say("The store in the archive is damaged ({0}). Nothing was changed.", problem));
        }
    }

    /// <summary>The SQLite copy, brought to this version's schema beside the archive, then copied into the (migrated, empty) PostgreSQL store.</summary>
    private static async Task CopySqliteIntoAsync(string file, PlazaDb target, CancellationToken cancellationToken)
    {
        await RefuseDamagedAsync(file, cancellationToken);
        var options = new DbContextOptionsBuilder<SqlitePlazaDb>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()).Options;
        await using var source = new SqlitePlazaDb(options, new ShopScope());
        await source.Database.MigrateAsync(cancellationToken);
        await target.Database.MigrateAsync(cancellationToken);
        var copied = await StoreCopy.CopyAsync(source, target, cancellationToken);
        var counted = await StoreCopy.CountAsync(target, cancellationToken);
        if (copied.FirstOrDefault(t => counted[t.Key] != t.Value) is { Key: not null } missing)
        {
            throw new InvalidOperationException(Text.Say("The copy of {0} holds {1} rows, the backup {2}.", missing.Key, counted[missing.Key], missing.Value));
        }
    }

    private static async Task<bool> HoldsStoreAsync(PlazaDb db, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    /// <summary>Drops every table and Plaza's functions in the store's schema (the database is the node's own; see README).</summary>
    private static async Task DropStoreAsync(PlazaDb db, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand("""
            DO $$ DECLARE t record; BEGIN
              FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
                EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t.tablename);
              END LOOP;
              FOR t IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                       WHERE n.nspname = current_schema() AND p.proname LIKE 'plaza\_%' LOOP
                EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', t.f);
              END LOOP;
            END $$;
            """, connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task<int> CountAsync(PlazaDb db, string table, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static bool HasFiles(string directory) => Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Any();

    private static void ReplaceDirectory(string from, string to)
    {
        if (Directory.Exists(to))
        {
            Directory.Delete(to, recursive: true);
        }
        if (Directory.Exists(from))
        {
            Directory.Move(from, to);
        }
    }
}
