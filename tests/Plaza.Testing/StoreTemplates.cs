using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Npgsql;
using Plaza.Features.Catalog;

namespace Plaza.Testing;

/// <summary>
/// A store as a node's first start leaves it (migrated, and demo-seeded or not), made once per test
/// process by running the real node, then copied for each new node: starting on a copy, the node's own
/// migrations find nothing to apply and the demo seed finds its shop, which roughly halves a start.
/// A SQLite template is one file taken with VACUUM INTO; a PostgreSQL one is a database that new ones
/// are created from (CREATE DATABASE … TEMPLATE), dropped when the process exits.
/// </summary>
internal static class StoreTemplates
{
    private static readonly ConcurrentDictionary<(Store Kind, bool Demo), Lazy<Task<NodeStore>>> Templates = new();

    /// <summary>Fills <paramref name="target"/>, a store no node has used yet, from the template.</summary>
    public static async Task CopyIntoAsync(NodeStore target, bool demo)
    {
        var template = await Templates.GetOrAdd((target.Kind, demo), key => new(() => BuildAsync(key.Kind, key.Demo))).Value;
        if (target.Kind == Store.Sqlite)
        {
            CopyDirectory(template.DataDir, target.DataDir);
            return;
        }
        await using var admin = new NpgsqlConnection(target.PostgresAdmin);
        await admin.OpenAsync();
        // PostgreSQL 15 and later copy a template through the WAL by default (STRATEGY WAL_LOG), which
        // costs the server about three times the CPU of copying its files for a database this small.
        var strategy = admin.PostgreSqlVersion.Major >= 15 ? " STRATEGY FILE_COPY" : "";
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database}\" TEMPLATE \"{template.Database}\"{strategy}", admin);
        await create.ExecuteNonQueryAsync();
    }

    private static async Task<NodeStore> BuildAsync(Store kind, bool demo)
    {
        var template = new NodeStore(kind, $"plaza_template_{Environment.ProcessId}_");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var run = kind == Store.Sqlite ? new NodeStore(kind) : template;
        await using (await PlazaApp.StartOnAsync(run, configure: app =>
        {
            app.FreshStore = true;
            app.Settings[DemoShop.Setting] = demo ? "true" : "false";
        }))
        {
        }
        if (kind == Store.Sqlite)
        {
            await TakeSqliteAsync(run, template);
            await run.DisposeAsync();
            return template;
        }
        // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template: close this
        // process's idle connections to it, end any other, and let no new one in.
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(template.PostgresAdmin);
        await admin.OpenAsync();
        await using var close = new NpgsqlCommand(
            $"ALTER DATABASE \"{template.Database}\" WITH ALLOW_CONNECTIONS false; "
            + $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{template.Database}'", admin);
        await close.ExecuteNonQueryAsync();
        return template;
    }

    /// <summary>The stopped node's database as one consistent file (nothing left in a -wal beside it), and the files it wrote beside it.</summary>
    private static async Task TakeSqliteAsync(NodeStore run, NodeStore template)
    {
        foreach (var file in Directory.EnumerateFileSystemEntries(run.DataDir))
        {
            if (!Path.GetFileName(file).StartsWith("plaza.db", StringComparison.Ordinal))
            {
                CopyDirectory(run.DataDir, template.DataDir, Path.GetFileName(file));
            }
        }
        await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = run.SqliteFile, Pooling = false }.ToString()))
        {
            await source.OpenAsync();
            await using var vacuum = source.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $file";
            vacuum.Parameters.AddWithValue("$file", template.SqliteFile);
            await vacuum.ExecuteNonQueryAsync();
        }
        // VACUUM INTO writes a rollback-journal file; WAL is a property of the file, so set it on the
        // template as the node's first start set it on the original.
        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = template.SqliteFile, Pooling = false }.ToString());
        await copy.OpenAsync();
        await using var wal = copy.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL";
        if (await wal.ExecuteScalarAsync() as string != "wal")
        {
            throw new InvalidOperationException($"The SQLite template {template.SqliteFile} did not switch to WAL.");
        }
    }

    /// <summary>Copies the files and folders in <paramref name="from"/> (or only the entry <paramref name="name"/>) into <paramref name="to"/>.</summary>
    private static void CopyDirectory(string from, string to, string? name = null)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(from, name ?? "*"))
        {
            var target = Path.Combine(to, Path.GetFileName(entry));
            if (Directory.Exists(entry))
            {
                Directory.CreateDirectory(target);
                CopyDirectory(entry, target);
            }
            else
            {
                File.Copy(entry, target);
            }
        }
    }
}
