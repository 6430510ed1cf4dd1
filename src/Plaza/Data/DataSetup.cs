using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Plaza.Data;

public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Wraps the migration of a store that already holds data (see the operations feature's SafeUpgrade).</summary>
public interface IUpgradeGuard
{
    Task UpgradeAsync(PlazaDb db, IReadOnlyList<string> pending, Func<Task> migrate, CancellationToken cancellationToken);
}

public static class DataSetup
{
    /// <summary>
    /// Registers PlazaDb on the configured store: embedded SQLite under <c>Plaza:DataDir</c> by default,
    /// PostgreSQL when <c>Plaza:Database:Provider=Postgres</c> and <c>ConnectionStrings:Plaza</c> are set. The options
    /// are built once for the process, not once per request (they are the same for every context).
    /// </summary>
    public static IServiceCollection AddPlazaData(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.GetValue("Plaza:Database:Provider", StoreProvider.Sqlite);
        if (provider == StoreProvider.Postgres)
        {
            var connectionString = configuration.GetConnectionString("Plaza")
                ?? throw new InvalidOperationException("Plaza:Database:Provider is Postgres but ConnectionStrings:Plaza is not set.");
            // An upgrade runs all pending migrations in one transaction of its own (SafeUpgrade), which EF would otherwise refuse.
            services.AddDbContext<PlazaDb, PostgresPlazaDb>(o => o.UseNpgsql(connectionString)
                .ConfigureWarnings(w => w.Ignore(RelationalEventId.MigrationsUserTransactionWarning)), optionsLifetime: ServiceLifetime.Singleton);
            services.AddSingleton(_ => StoreWrites.None());
        }
        else
        {
            var dataDir = DataDirectory(configuration);
            Directory.CreateDirectory(dataDir);
            var connectionString = configuration.GetConnectionString("Plaza")
                ?? new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "plaza.db"), DefaultTimeout = 30 }.ToString();
            var walLimit = configuration.GetValue("Plaza:Sqlite:WalLimitMegabytes", 64L) * 1024 * 1024;
            services.AddDbContext<PlazaDb, SqlitePlazaDb>(o => o.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas(walLimit)), optionsLifetime: ServiceLifetime.Singleton);
            services.AddSingleton(_ => StoreWrites.ForSqlite(connectionString));
        }
        return services;
    }

    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration["Plaza:DataDir"] ?? "data");

    /// <summary>Applies pending migrations for whichever store is configured.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        // Migrate also diffs the model against the last migration's snapshot (to warn of a missing migration), which costs
        // a start more CPU than anything else once nothing is pending. That a migration matches the model is a test of
        // its own (MigrationsMatchModelTests); a start with nothing to apply only reads the history table.
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            // A store with data is upgraded under the guard (a backup first, the store put back if a migration fails);
            // a new, empty store is simply made.
            if (services.GetService<IUpgradeGuard>() is { } guard && (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any())
            {
                await guard.UpgradeAsync(db, pending, () => db.Database.MigrateAsync(cancellationToken), cancellationToken);
            }
            else
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
        }
        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the one writer; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>
    /// Per-connection SQLite settings: an acknowledged order must survive power loss, so commits are
    /// fsynced (synchronous=FULL), and writers wait for each other instead of failing at once.
    /// Under steady load some reader always holds the write-ahead log, so a checkpoint cannot start it
    /// over and the file grows past its 4 MB checkpoint (50–170 MB in the benchmarks); the journal size
    /// limit (<c>Plaza:Sqlite:WalLimitMegabytes</c>) cuts it back the next time it starts over, instead of
    /// leaving the high-water mark on disk until the node stops.
    /// (No mmap: an I/O error on a mapped page is a signal that ends the process, not an error the
    /// node can answer with a 503.) Applied once per physical connection:
    /// the pool hands the same one out again and again, and EF opens it for every query.
    /// </summary>
    private sealed class SqlitePragmas(long walLimitBytes) : DbConnectionInterceptor
    {
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> applied = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private void Apply(DbConnection connection)
        {
            var handle = ((SqliteConnection)connection).Handle!;
            if (applied.TryGetValue(handle, out _))
            {
                return;
            }
            using var command = connection.CreateCommand();
            command.CommandText = FormattableString.Invariant($"PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA journal_size_limit={walLimitBytes};");
            command.ExecuteNonQuery();
            applied.AddOrUpdate(handle, handle);
        }
    }
}
