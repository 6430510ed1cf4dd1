using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;
using Xunit;

namespace Plaza.Testing;

/// <summary>
/// The real node (Program's composition root) on a store of its own: a SQLite file, or a database on
/// the PostgreSQL named by PLAZA_TEST_POSTGRES. Each test owns one, so tests run in parallel and never
/// see each other's data. In memory (TestServer) unless <see cref="ListenOn"/> puts it on Kestrel.
/// A new store starts as a copy of the store a first start leaves (<see cref="StoreTemplates"/>)
/// unless <see cref="FreshStore"/> asks for the first start itself.
/// </summary>
public sealed class PlazaApp : WebApplicationFactory<Program>
{
    public const string PostgresVariable = NodeStore.PostgresVariable;

    private NodeStore store;
    private bool ownsStore;
    private (string Host, int Port, X509Certificate2? Certificate)? listen;

    public Store Store => store.Kind;
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
        // No scheduled backups (a new node takes its first at once); the backup tests turn them on.
        ["Plaza:Backup:Interval"] = "0",
    };

    /// <summary>Service replacements a test needs (e.g. a fake remote server behind the federation HttpClient).</summary>
    public List<Action<IServiceCollection>> ServiceOverrides { get; } = [];

    /// <summary>
    /// The node migrates and seeds its new store itself instead of starting on a copy of the template:
    /// for a test about what a first start does, or one that fills the store before the node starts.
    /// </summary>
    public bool FreshStore { get; set; }

    /// <summary>Where the node answers: http://localhost in memory, or the address Kestrel listens at.</summary>
    public Uri BaseAddress { get; private set; } = new("http://localhost");

    private PlazaApp(NodeStore store, bool ownsStore, TimeProvider? clock)
    {
        this.store = store;
        this.ownsStore = ownsStore;
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>Starts a node on a new store of its own; a PostgreSQL case is skipped (not passed) when no server is given.</summary>
    public static async Task<PlazaApp> StartAsync(Store store, TimeProvider? clock = null, Action<PlazaApp>? configure = null)
    {
        if (store == Store.Postgres && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresVariable)))
        {
            Assert.Skip($"Set {PostgresVariable} to a PostgreSQL connection string (./test.sh starts one).");
        }
        return await StartAsync(new NodeStore(store), ownsStore: true, clock, configure);
    }

    /// <summary>Starts a node on a store the caller keeps and disposes, so another node can start on it after this one stops.</summary>
    public static Task<PlazaApp> StartOnAsync(NodeStore store, TimeProvider? clock = null, Action<PlazaApp>? configure = null) =>
        StartAsync(store, ownsStore: false, clock, configure);

    private static async Task<PlazaApp> StartAsync(NodeStore store, bool ownsStore, TimeProvider? clock, Action<PlazaApp>? configure)
    {
        var app = new PlazaApp(store, ownsStore, clock);
        try
        {
            configure?.Invoke(app);
            if (app.StartsFromTemplate)
            {
                await StoreTemplates.CopyIntoAsync(app.store, app.Configuration.GetValue<bool>(DemoShop.Setting));
            }
            app.store.Used = true;
            app.StartServer(); // builds the host (TestServer, or Kestrel): migrations and the demo seed run here
            app.store.Served = true;
            if (app.listen is not null)
            {
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                app.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            }
        }
        catch
        {
            // A node that failed to start (a store that would not load or migrate) leaves no database or files behind.
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>
    /// A copy of the template can stand in for a first start only where nothing about the start differs
    /// from the template's: a store nobody has used or filled, the demo wanted or not as in the
    /// template, and real time (the seed stamps its rows with the node's clock).
    /// </summary>
    private bool StartsFromTemplate =>
        !FreshStore && !store.Used && Clock == TimeProvider.System
        && (Store == Store.Postgres || !File.Exists(SqliteFile));

    /// <summary>The settings as the node will read them (only those given here, not its appsettings).</summary>
    private IConfiguration Configuration => new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();

    /// <summary>Runs this node as a second app process on <paramref name="other"/>'s store (its PostgreSQL database or its SQLite file).</summary>
    public void ShareDatabaseWith(PlazaApp other)
    {
        if (ownsStore)
        {
            Directory.Delete(store.DataDir);
        }
        store = other.store;
        ownsStore = false;
    }

    /// <summary>Serves on Kestrel at <paramref name="host"/> (an IP address, or localhost for its loopback addresses) and <paramref name="port"/> (0: any free one), with TLS when given a certificate.</summary>
    public void ListenOn(string host, int port, X509Certificate2? certificate = null)
    {
        listen = (host, port, certificate);
        UseKestrel(options =>
        {
            Action<ListenOptions> tls = l =>
            {
                if (certificate is not null)
                {
                    l.UseHttps(certificate);
                }
            };
            if (host == "localhost")
            {
                options.ListenLocalhost(port, tls);
            }
            else
            {
                options.Listen(System.Net.IPAddress.Parse(host), port, tls);
            }
        });
    }

    /// <summary>
    /// Stops this node and starts it again on the same store with the same settings: what it kept in
    /// memory is gone, what it wrote to its database is not. The new node owns the store from then on.
    /// </summary>
    public async Task<PlazaApp> RestartAsync()
    {
        var wasOwner = ownsStore;
        ownsStore = false;
        await DisposeAsync();
        return await StartAsync(store, wasOwner, Clock, next =>
        {
            foreach (var (key, value) in Settings)
            {
                next.Settings[key] = value;
            }
            next.ServiceOverrides.AddRange(ServiceOverrides);
            if (listen is var (host, port, certificate))
            {
                next.ListenOn(host, port, certificate);
            }
        });
    }

    public string? ConnectionString => store.ConnectionString;

    /// <summary>The file of a SQLite node's store (the node makes it on start unless a test has filled it before).</summary>
    public string SqliteFile => store.SqliteFile;

    /// <summary>The node's data directory (Plaza:DataDir): its SQLite files, and the demo login file.</summary>
    public string DataDir => store.DataDir;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Plaza:DataDir", store.DataDir);
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

    /// <summary>An API token of the shop at <paramref name="slug"/>, as its owner would create one.</summary>
    public async Task<string> IssueTokenAsync(string slug, string name, TokenScope scope)
    {
        var shop = await WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == slug));
        return await IssueTokenAsync(shop, name, scope);
    }

    public HttpClient StaffClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsStore)
        {
            await store.DisposeAsync();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}
