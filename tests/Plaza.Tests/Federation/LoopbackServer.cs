using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Plaza.Tests.Federation;

/// <summary>
/// A remote server on a loopback address of its own (127.0.0.x), reached over real sockets: the
/// node's federation handler, its connect-time check and its redirects are the real ones.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackServer(WebApplication app, string origin)
    {
        this.app = app;
        Origin = origin;
    }

    /// <summary>http://127.0.0.x:port</summary>
    public string Origin { get; }

    public string Host => new Uri(Origin).Host;

    /// <summary>How many requests reached this server.</summary>
    public int Hits => hits;

    private int hits;

    public static async Task<LoopbackServer> StartAsync(string address, RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Parse(address), 0));
        var app = builder.Build();
        LoopbackServer? server = null;
        app.Run(context =>
        {
            Interlocked.Increment(ref server!.hits);
            return handle(context);
        });
        await app.StartAsync();
        var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new LoopbackServer(app, origin);
        return server;
    }

    /// <summary>Answers every request with <paramref name="status"/> and a Location header.</summary>
    public static Task<LoopbackServer> RedirectingAsync(string address, string location, int status = StatusCodes.Status302Found) =>
        StartAsync(address, context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        });

    /// <summary>Answers every request with <paramref name="json"/> as ActivityStreams.</summary>
    public static Task<LoopbackServer> ServingAsync(string address, string json) =>
        StartAsync(address, context =>
        {
            context.Response.ContentType = "application/activity+json";
            return context.Response.WriteAsync(json);
        });

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await app.StopAsync(stopping.Token);
        await app.DisposeAsync();
    }
}
