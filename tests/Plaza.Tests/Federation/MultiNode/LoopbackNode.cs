using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Tests.Federation.MultiNode;

/// <summary>
/// A real Plaza node on Kestrel at http://{address}:{port} of its <see cref="NodeStore"/>, its ids built
/// from that origin, allowed to reach its peers on loopback, with delivery retries fast enough for a test.
/// </summary>
public sealed class LoopbackNode : IAsyncDisposable
{
    private readonly PlazaApp app;

    private LoopbackNode(NodeStore store, PlazaApp app)
    {
        Store = store;
        this.app = app;
    }

    public NodeStore Store { get; }
    public string Origin => Store.Origin;
    public IServiceProvider Services => app.Services;

    /// <summary>
    /// Starts the node on its store's address. A first start whose port was taken since the store picked it picks another
    /// (nothing has been stored under the old origin yet); a restart needs its port, so it fails if the port is taken.
    /// </summary>
    public static Task<LoopbackNode> StartAsync(NodeStore store, IEnumerable<string> peerHosts) =>
        FreePort.RetryWhenTakenAsync(() => StartOnceAsync(store, peerHosts), () =>
        {
            if (store.Served)
            {
                return false;
            }
            store.PickPort();
            return true;
        });

    private static async Task<LoopbackNode> StartOnceAsync(NodeStore store, IEnumerable<string> peerHosts) =>
        new(store, await PlazaApp.StartOnAsync(store, configure: app =>
        {
            app.ListenOn(store.Host, store.Port);
            app.Settings.Remove("Plaza:RateLimits:OrdersPerMinute");
            app.Settings.Remove("Plaza:RateLimits:SignInsPerMinute");
            app.Settings["Plaza:PublicUrl"] = store.Origin;
            var i = 0;
            foreach (var host in peerHosts)
            {
                app.Settings[$"Plaza:Federation:AllowedPrivateHosts:{i++}"] = host;
            }
            app.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
            app.Settings["Plaza:Federation:FirstRetryDelay"] = "00:00:00.2";
            app.Settings["Plaza:Federation:MaxRetryDelay"] = "00:00:01";
            app.Settings["Plaza:Federation:CircuitOpenFor"] = "00:00:01";
            app.Settings["Plaza:Nearby:DirectoryPullInterval"] = "00:00:00.5";
            app.ServiceOverrides.Add(services => services.AddLogging(logging => logging
                .AddFilter("Plaza.Features.Federation", LogLevel.Error)
                .AddFilter("System.Net.Http", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning)));
        }));

    /// <summary>A client of this node over the network, as a peer or a person would reach it.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(Store.Origin) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public Task<T> WithDb<T>(Func<PlazaDb, Task<T>> work) => app.WithDb(null, work);

    /// <summary>An owner token of the shop: the tests follow, post and run hubs with it.</summary>
    public Task<string> OwnerTokenAsync(string slug) => app.IssueTokenAsync(slug, "multi-node-test", TokenScope.Owner);

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
