using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Federation.Interop;

/// <summary>The real node on Kestrel with TLS at https://localhost:{port}, on a SQLite file of its own.</summary>
public sealed class TlsNode(LocalTls tls, int port) : WebApplicationFactory<Program>
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "plaza-interop", Guid.NewGuid().ToString("N"));

    public string Origin => $"https://localhost:{port}";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Start()
    {
        UseKestrel(o => o.ListenLocalhost(port, listen => listen.UseHttps(tls.ServerCertificate)));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(dataDir);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Plaza:DataDir", dataDir);
        builder.UseSetting("Plaza:Demo", "true");
        builder.UseSetting("Plaza:PublicUrl", Origin);
        builder.UseSetting("Plaza:Federation:AllowedPrivateHosts:0", "localhost");
        builder.UseSetting("Plaza:Federation:TrustedCaFile", tls.CaFile);
        builder.UseSetting("Plaza:Federation:PollInterval", "00:00:00.2");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Plaza.Demo", LogLevel.None));
    }

    /// <summary>An owner token of the shop: the tests follow, post and run hubs with it.</summary>
    public async Task<string> OwnerTokenAsync(string slug)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var shop = await db.Shops.SingleAsync(s => s.Slug == slug);
        scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
        return await StaffToken.IssueAsync(db, shop.Id, "interop-test", TokenScope.Owner, TimeProvider.System, CancellationToken.None);
    }

    public async Task<bool> StoredActivityAsync(string activityId)
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PlazaDb>().InboxActivities.AnyAsync(a => a.ActivityId == activityId);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned with the temp directory.
        }
    }
}
