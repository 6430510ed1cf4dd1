using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Tests.Infrastructure;

public enum Store
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real node (Program's composition root) on a store of its own: a fresh SQLite file, or a
/// fresh database on the PostgreSQL named by PLAZA_TEST_POSTGRES. Each test owns one, so tests
/// run in parallel and never see each other's data.
/// </summary>
public sealed class PlazaApp : WebApplicationFactory<Program>
{
    public const string PostgresVariable = "PLAZA_TEST_POSTGRES";

    private string dataDir = Path.Combine(Path.GetTempPath(), "plaza-tests", Guid.NewGuid().ToString("N"));
    private string? postgresDatabase;
    private readonly string? postgresAdmin;
    private bool ownsDatabase = true;

    public Store Store { get; }
    public TimeProvider Clock { get; }
    /// <summary>What the node logged at Error or above.</summary>
    public ErrorLog Errors { get; } = new();

    public Dictionary<string, string?> Settings { get; } = new()
    {
        // Outside Development the demo shop is seeded only when asked for; many tests use it.
        [DemoShop.Setting] = "true",
        ["Plaza:RateLimits:OrdersPerMinute"] = "100000",
        ["Plaza:RateLimits:SignInsPerMinute"] = "100000",
        // The test server's address, so actor ids match what the test client requests.
        ["Plaza:PublicUrl"] = "http://localhost",
    };

    /// <summary>Service replacements a test needs (e.g. a fake remote server behind the federation HttpClient).</summary>
    public List<Action<IServiceCollection>> ServiceOverrides { get; } = [];

    private PlazaApp(Store store, TimeProvider? clock)
    {
        Store = store;
        Clock = clock ?? TimeProvider.System;
        Directory.CreateDirectory(dataDir);
        if (store == Store.Postgres)
        {
            postgresAdmin = Environment.GetEnvironmentVariable(PostgresVariable)!;
            postgresDatabase = "plaza_test_" + Guid.NewGuid().ToString("N")[..12];
        }
    }

    /// <summary>Starts a node; a PostgreSQL case is skipped (not passed) when no server is given.</summary>
    public static async Task<PlazaApp> StartAsync(Store store, TimeProvider? clock = null, Action<PlazaApp>? configure = null)
    {
        if (store == Store.Postgres && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresVariable)))
        {
            Assert.Skip($"Set {PostgresVariable} to a PostgreSQL connection string (./test.sh starts one).");
        }
        var app = new PlazaApp(store, clock);
        try
        {
            configure?.Invoke(app);
            app.StartServer(); // builds the host (TestServer, or Kestrel if configure chose it): migrations and the demo seed run here
        }
        catch
        {
            // A node that failed to start (a store that would not load or migrate) leaves no database or files behind.
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>Runs this node as a second app process on <paramref name="other"/>'s database (its PostgreSQL database or its SQLite file).</summary>
    public void ShareDatabaseWith(PlazaApp other)
    {
        postgresDatabase = other.postgresDatabase;
        dataDir = other.dataDir;
        ownsDatabase = false;
    }

    /// <summary>
    /// Stops this node and starts it again on the same store with the same settings: what it kept in
    /// memory is gone, what it wrote to its database is not. The new node owns the store from then on.
    /// </summary>
    public async Task<PlazaApp> RestartAsync()
    {
        var wasOwner = ownsDatabase;
        ownsDatabase = false;
        await DisposeAsync();
        return await StartAsync(Store, Clock, next =>
        {
            Directory.Delete(next.dataDir);
            next.postgresDatabase = postgresDatabase;
            next.dataDir = dataDir;
            next.ownsDatabase = wasOwner;
            foreach (var (key, value) in Settings)
            {
                next.Settings[key] = value;
            }
            next.ServiceOverrides.AddRange(ServiceOverrides);
        });
    }

    public string? ConnectionString => postgresDatabase is null ? null
        : new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = postgresDatabase }.ToString();

    /// <summary>The file of a SQLite node's store (the node makes it on start unless a test has filled it before).</summary>
    public string SqliteFile => Path.Combine(dataDir, "plaza.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Plaza:DataDir", dataDir);
        if (Store == Store.Postgres)
        {
            builder.UseSetting("Plaza:Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Plaza", ConnectionString);
        }
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Plaza.Demo", LogLevel.None).AddProvider(Errors));
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton(Clock));
            foreach (var configure in ServiceOverrides)
            {
                configure(services);
            }
        });
    }

    /// <summary>A DbContext acting for <paramref name="shop"/> (or for no shop), disposed with the scope.</summary>
    public (IServiceScope Scope, PlazaDb Db) Db(Shop? shop = null)
    {
        var scope = Services.CreateScope();
        if (shop is not null)
        {
            scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
        }
        return (scope, scope.ServiceProvider.GetRequiredService<PlazaDb>());
    }

    public async Task<T> WithDb<T>(Shop? shop, Func<PlazaDb, Task<T>> work)
    {
        var (scope, db) = Db(shop);
        using (scope)
        {
            return await work(db);
        }
    }

    /// <summary>An API token of <paramref name="shop"/>: staff scope (orders) unless the test needs what owners do.</summary>
    public async Task<string> IssueTokenAsync(Shop shop, string name = "test", TokenScope scope = TokenScope.Staff) =>
        await WithDb(shop, db => StaffToken.IssueAsync(db, shop.Id, name, scope, TimeProvider.System, CancellationToken.None));

    public HttpClient StaffClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (postgresDatabase is not null && ownsDatabase)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!ownsDatabase)
        {
            return;
        }
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is cleaned with the temp directory.
        }
    }
}

/// <summary>Theory data: every integration test runs on both stores.</summary>
public static class Stores
{
    public static TheoryData<Store> Both => new(Store.Sqlite, Store.Postgres);
}
