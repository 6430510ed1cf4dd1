using Microsoft.EntityFrameworkCore;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Federation.Interop;

/// <summary>The real node on Kestrel with TLS at https://localhost:{port}, on a SQLite file of its own.</summary>
public sealed class TlsNode : IAsyncDisposable
{
    private readonly PlazaApp app;

    private TlsNode(PlazaApp app, int port)
    {
        this.app = app;
        Origin = $"https://localhost:{port}";
    }

    public string Origin { get; }

    public static async Task<TlsNode> StartAsync(LocalTls tls, int port) =>
        new(await PlazaApp.StartAsync(Store.Sqlite, configure: app =>
        {
            app.ListenOn("localhost", port, tls.ServerCertificate);
            app.Settings.Remove("Plaza:RateLimits:OrdersPerMinute");
            app.Settings.Remove("Plaza:RateLimits:SignInsPerMinute");
            app.Settings["Plaza:PublicUrl"] = $"https://localhost:{port}";
            app.Settings["Plaza:Federation:AllowedPrivateHosts:0"] = "localhost";
            app.Settings["Plaza:Federation:TrustedCaFile"] = tls.CaFile;
            app.Settings["Plaza:Federation:PollInterval"] = "00:00:00.2";
        }), port);

    /// <summary>An owner token of the shop: the tests follow, post and run hubs with it.</summary>
    public Task<string> OwnerTokenAsync(string slug) => app.IssueTokenAsync(slug, "interop-test", TokenScope.Owner);

    public Task<bool> StoredActivityAsync(string activityId) =>
        app.WithDb(null, db => db.InboxActivities.AnyAsync(a => a.ActivityId == activityId));

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
