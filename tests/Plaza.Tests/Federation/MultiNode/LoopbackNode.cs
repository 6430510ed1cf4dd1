using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Tests.Federation.MultiNode;

/// <summary>
/// Where a node keeps its data, kept apart from the process so a stopped node can start again on
/// the same store and address: a SQLite directory, or a PostgreSQL database.
/// </summary>
public sealed class NodeStore : IAsyncDisposable
{
    private readonly string? postgresAdmin;

    public NodeStore(IPAddress address, bool postgres)
    {
        Address = address;
        Port = FreePort(address);
        Directory.CreateDirectory(DataDir);
        if (postgres)
        {
            postgresAdmin = Environment.GetEnvironmentVariable(Infrastructure.PlazaApp.PostgresVariable);
            Database = "plaza_node_" + Guid.NewGuid().ToString("N")[..12];
        }
    }

    public IPAddress Address { get; }
    public int Port { get; }
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "plaza-nodes", Guid.NewGuid().ToString("N"));
    public string? Database { get; }
    public string Origin => $"http://{Address}:{Port}";
    public string Host => Address.ToString();

    public string? ConnectionString => Database is null ? null : new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = Database }.ToString();

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned with the temp directory.
        }
    }
}

/// <summary>
/// A real Plaza node on Kestrel at http://{address}:{port}, its ids built from that origin, allowed
/// to reach its peers on loopback, with delivery retries fast enough for a test.
/// </summary>
public sealed class LoopbackNode(NodeStore store, IEnumerable<string> peerHosts) : WebApplicationFactory<Program>
{
    public NodeStore Store => store;
    public string Origin => store.Origin;

    public static LoopbackNode Start(NodeStore store, IEnumerable<string> peerHosts)
    {
        var node = new LoopbackNode(store, peerHosts);
        node.UseKestrel(o => o.Listen(store.Address, store.Port));
        node.StartServer();
        return node;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Plaza:DataDir", store.DataDir);
        builder.UseSetting("Plaza:Demo", "true");
        if (store.ConnectionString is { } connection)
        {
            builder.UseSetting("Plaza:Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Plaza", connection);
        }
        builder.UseSetting("Plaza:PublicUrl", store.Origin);
        var i = 0;
        foreach (var host in peerHosts)
        {
            builder.UseSetting($"Plaza:Federation:AllowedPrivateHosts:{i++}", host);
        }
        builder.UseSetting("Plaza:Federation:PollInterval", "00:00:00.1");
        builder.UseSetting("Plaza:Federation:FirstRetryDelay", "00:00:00.2");
        builder.UseSetting("Plaza:Federation:MaxRetryDelay", "00:00:01");
        builder.UseSetting("Plaza:Federation:CircuitOpenFor", "00:00:01");
        builder.UseSetting("Plaza:Nearby:DirectoryPullInterval", "00:00:00.5");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Plaza.Demo", LogLevel.None).AddFilter("Plaza.Features.Federation", LogLevel.Error)
            .AddFilter("System.Net.Http", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning));
    }

    /// <summary>A client of this node over the network, as a peer or a person would reach it.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(store.Origin) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public async Task<T> WithDb<T>(Func<PlazaDb, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<PlazaDb>());
    }

    /// <summary>An owner token of the shop: the tests follow, post and run hubs with it.</summary>
    public async Task<string> OwnerTokenAsync(string slug)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var shop = await db.Shops.SingleAsync(s => s.Slug == slug);
        scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
        return await StaffToken.IssueAsync(db, shop.Id, "multi-node-test", TokenScope.Owner, TimeProvider.System, CancellationToken.None);
    }
}
