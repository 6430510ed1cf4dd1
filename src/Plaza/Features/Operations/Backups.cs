using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Operations;

/// <summary>A backup cannot be taken on this node as it is set up (no pg_dump for a PostgreSQL store); the message says what to do.</summary>
public sealed class BackupUnavailableException(string message) : Exception(message);

/// <summary>
/// Takes a node's backup while it serves: on SQLite an online copy by <c>VACUUM INTO</c> (one read transaction,
/// so the copy is the store as of one moment while orders keep being written beside it), on PostgreSQL a
/// <c>pg_dump</c> (one snapshot); then the uploaded photos, and the manifest (<see cref="BackupArchive"/>).
/// </summary>
public sealed partial class Backups(IServiceProvider services, IConfiguration configuration, IOptions<BackupOptions> options, TimeProvider clock, ILogger<Backups> log)
{
    /// <summary>Scheduled and command backups: <c>plaza-{time}</c>. The schedule prunes only these.</summary>
    public const string Prefix = "plaza-";
    /// <summary>The backup a start takes before it migrates: <c>before-upgrade-{time}</c>, kept until the operator deletes it.</summary>
    public const string BeforeUpgradePrefix = "before-upgrade-";

    public BackupOptions Options => options.Value;

    public string Directory => Options.Directory is { Length: > 0 } directory ? Path.GetFullPath(directory) : Path.Combine(DataSetup.DataDirectory(configuration), "backups");

    public string MediaRoot => Path.Combine(DataSetup.DataDirectory(configuration), "media");

    /// <summary>The archives in <see cref="Directory"/>, newest first.</summary>
    public IReadOnlyList<FileInfo> List() =>
        !System.IO.Directory.Exists(Directory) ? []
        : [.. new DirectoryInfo(Directory).EnumerateFiles("*.tar.gz*").Where(f => !f.Name.Contains(".partial", StringComparison.Ordinal)).OrderByDescending(f => f.LastWriteTimeUtc)];

    /// <summary>When the newest archive in the directory was written, if there is one.</summary>
    public DateTimeOffset? Newest() => List() is [var newest, ..] ? new DateTimeOffset(newest.LastWriteTimeUtc, TimeSpan.Zero) : null;

    /// <summary>Takes a backup into <see cref="Directory"/> and returns the archive's path and manifest.</summary>
    public async Task<(string Path, BackupManifest Manifest)> TakeAsync(string prefix, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var started = Stopwatch.GetTimestamp();
        var passphrase = Options.ReadPassphrase();
        var name = Path.Combine(Directory, $"{prefix}{clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}Z");
        var path = name + Extension(passphrase);
        for (var n = 2; File.Exists(path); n++)
        {
            path = $"{name}-{n}{Extension(passphrase)}";
        }

        var work = Path.Combine(Directory, $".partial-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(work);
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var files = new List<(string, string)>();
            IReadOnlyList<string> schema;
            string store;
            if (db.Database.IsSqlite())
            {
                store = "sqlite";
                var copy = Path.Combine(work, "plaza.db");
                await using (var connection = new SqliteConnection(db.Database.GetConnectionString()))
                {
                    await connection.OpenAsync(cancellationToken);
                    await using var vacuum = connection.CreateCommand();
                    vacuum.CommandText = "VACUUM INTO $file";
                    vacuum.Parameters.AddWithValue("$file", copy);
                    await vacuum.ExecuteNonQueryAsync(cancellationToken);
                }
                schema = await SchemaOfSqliteFileAsync(copy, cancellationToken);
                files.Add(("plaza.db", copy));
            }
            else
            {
                store = "postgres";
                var dump = Path.Combine(work, "plaza.pgdump");
                schema = Names(await db.Database.GetAppliedMigrationsAsync(cancellationToken));
                await PgToolAsync(Options.PgDump, db.Database.GetConnectionString()!, ["--format=custom", "--no-owner", "--no-privileges", $"--file={dump}"], cancellationToken);
                files.Add(("plaza.pgdump", dump));
            }
            if (System.IO.Directory.Exists(MediaRoot))
            {
                files.AddRange(System.IO.Directory.EnumerateFiles(MediaRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                    .Select(f => ("media/" + Path.GetRelativePath(MediaRoot, f).Replace('\\', '/'), f)));
            }
            var manifest = new BackupManifest(BackupManifest.CurrentFormat, PlazaVersion, clock.GetUtcNow(), store, PublicOrigin.From(configuration).Url.ToString(), schema, []);
            manifest = await BackupArchive.WriteAsync(path, manifest, files, passphrase, cancellationToken);
            var bytes = new FileInfo(path).Length;
            var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogTaken(path, bytes, manifest.Files.Count, took);
            return (path, manifest);
        }
        finally
        {
            System.IO.Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Deletes scheduled backups beyond the newest <see cref="BackupOptions.Keep"/>; a before-upgrade backup stays.</summary>
    public int Prune()
    {
        var old = List().Where(f => f.Name.StartsWith(Prefix, StringComparison.Ordinal)).Skip(Math.Max(1, Options.Keep)).ToList();
        foreach (var file in old)
        {
            file.Delete();
        }
        return old.Count;
    }

    public static string PlazaVersion { get; } =
        typeof(Backups).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Migration names without their timestamps: the same across stores (each store's migrations are made together).</summary>
    public static IReadOnlyList<string> Names(IEnumerable<string> migrationIds) =>
        [.. migrationIds.Order(StringComparer.Ordinal).Select(id => id.IndexOf('_', StringComparison.Ordinal) is var at and >= 0 ? id[(at + 1)..] : id)];

    public static async Task<IReadOnlyList<string>> SchemaOfSqliteFileAsync(string file, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "MigrationId" FROM "__EFMigrationsHistory" """;
        var ids = new List<string>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            // No history table: a store no Plaza migrated.
        }
        return Names(ids);
    }

    /// <summary>Runs pg_dump or pg_restore against the store's database, its password passed in the environment.</summary>
    internal static async Task PgToolAsync(string tool, string connectionString, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add($"--host={connection.Host}");
        start.ArgumentList.Add($"--port={connection.Port}");
        start.ArgumentList.Add($"--dbname={connection.Database}");
        if (connection.Username is { Length: > 0 } user)
        {
            start.ArgumentList.Add($"--username={user}");
        }
        start.ArgumentList.Add("--no-password");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (connection.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            throw new BackupUnavailableException(Text.Say(
                "{0} was not found. Install PostgreSQL's client tools (Debian: postgresql-client, a version at least the server's) or set Plaza:Backup:PgDump and Plaza:Backup:PgRestore to their paths; until then, back up the database with PostgreSQL's own tools (pg_dump, pg_basebackup).", tool));
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(Text.Say("{0} failed (exit code {1}): {2}", Path.GetFileName(tool), process.ExitCode, (await errors).Trim()));
            }
        }
    }

    private static string Extension(string? passphrase) => passphrase is null ? ".tar.gz" : ".tar.gz.sealed";

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup written: {Path} ({Bytes} bytes, {Files} files) in {Milliseconds:0} ms")]
    private partial void LogTaken(string path, long bytes, int files, double milliseconds);
}
