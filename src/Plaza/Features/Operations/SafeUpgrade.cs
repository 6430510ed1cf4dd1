using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Operations;

/// <summary>An upgrade that failed and was undone; the message says what happened and how to go on.</summary>
public sealed class UpgradeFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// A start that migrates a store holding data first takes a backup (<c>before-upgrade-…</c> in the backup directory),
/// so a bad upgrade can always be undone by a restore. A migration that fails then leaves the store as it was: on
/// SQLite the store is put back from a copy taken a moment before; on PostgreSQL the pending migrations run in
/// one transaction, so a failure rolls all of them back. Either way the node does not start, and says why.
/// </summary>
public sealed partial class SafeUpgrade(Backups backups, ILogger<SafeUpgrade> log) : IUpgradeGuard
{
    public async Task UpgradeAsync(PlazaDb db, IReadOnlyList<string> pending, Func<Task> migrate, CancellationToken cancellationToken)
    {
        string? backup = null;
        if (backups.Options.BeforeUpgrade)
        {
            try
            {
                backup = (await backups.TakeAsync(Backups.BeforeUpgradePrefix, cancellationToken)).Path;
                LogBackedUp(string.Join(", ", Backups.Names(pending)), backup);
            }
            catch (BackupUnavailableException e)
            {
                LogNoBackup(e.Message);
            }
        }

        string? file = null, copy = null;
        if (db.Database.IsSqlite())
        {
            file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            copy = file + ".before-upgrade";
            File.Delete(copy);
            await db.Database.ExecuteSqlAsync($"VACUUM INTO {copy}", cancellationToken);
        }
        try
        {
            if (db.Database.IsNpgsql())
            {
                await MigrateInOneTransactionAsync(db, migrate, cancellationToken);
            }
            else
            {
                await migrate();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (file is not null)
            {
                await db.Database.CloseConnectionAsync();
                SqliteConnection.ClearAllPools();
                File.Copy(copy!, file, overwrite: true);
                File.Delete(file + "-wal");
                File.Delete(file + "-shm");
            }
            throw new UpgradeFailedException(Text.Say(
                "Upgrading the store failed ({0}): {1} The store was left as it was before the upgrade{2}. To keep serving, start the previous Plaza version on it; to upgrade, fix the cause and start this version again.",
                string.Join(", ", Backups.Names(pending)), e.Message,
                backup is null ? "" : Text.Say(", and a backup taken just before is at {0}", backup)), e);
        }
        finally
        {
            if (copy is not null)
            {
                File.Delete(copy);
            }
        }
    }

    /// <summary>
    /// PostgreSQL changes its schema inside transactions, yet EF applies each migration in its own: here the pending
    /// ones all run in one transaction (EF uses the one it finds open), all or nothing, under an advisory lock so
    /// two processes starting together upgrade the store once.
    /// </summary>
    private static async Task MigrateInOneTransactionAsync(PlazaDb db, Func<Task> migrate, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7410)", cancellationToken); // Plaza's upgrade lock
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await migrate();
        }
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upgrading the store (migrations {Migrations}); a backup of it as it was is at {Path}")]
    private partial void LogBackedUp(string migrations, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upgrading the store without a backup first: {Reason}")]
    private partial void LogNoBackup(string reason);
}
