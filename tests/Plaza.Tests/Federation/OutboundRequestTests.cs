using System.Diagnostics;
using System.Net.Http.Json;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;
using Plaza.Features.Moderation;
using Plaza.Features.Ordering;

namespace Plaza.Tests.Federation;

/// <summary>What the node's own outgoing requests (fetches and deliveries) may reach, over real sockets.</summary>
public sealed class OutboundRequestTests
{
    [Theory]
    // IPv4 special-purpose ranges
    [InlineData("0.0.0.0", false)]
    [InlineData("0.1.2.3", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.1.2.3", false)]
    [InlineData("169.254.169.254", false)] // cloud metadata
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.0.0.1", false)]
    [InlineData("192.0.0.170", false)] // NAT64 discovery
    [InlineData("192.0.2.1", false)]
    [InlineData("192.88.99.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("198.19.255.255", false)]
    [InlineData("198.51.100.1", false)]
    [InlineData("203.0.113.1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("239.255.255.250", false)]
    [InlineData("240.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    // IPv6 outside global unicast, and reserved parts of it
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fec0::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("100::1", false)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)] // Teredo
    [InlineData("2001:2::1", false)] // benchmarking
    [InlineData("2001:db8::1", false)]
    [InlineData("3fff::1", false)]
    [InlineData("64:ff9b:1::808:808", false)] // local-use NAT64, refused whole
    // IPv6 carrying a private IPv4: judged by the IPv4
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:192.168.1.1", false)]
    [InlineData("::127.0.0.1", false)] // IPv4-compatible
    [InlineData("::10.0.0.1", false)]
    [InlineData("64:ff9b::7f00:1", false)] // NAT64 → 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", false)] // NAT64 → 169.254.169.254
    [InlineData("64:ff9b::c0a8:101", false)] // NAT64 → 192.168.1.1
    [InlineData("2002:7f00:1::1", false)] // 6to4 → 127.0.0.1
    [InlineData("2002:a00:1::1", false)] // 6to4 → 10.0.0.1
    [InlineData("2002:c612:1::1", false)] // 6to4 → 198.18.0.1
    // public
    [InlineData("93.184.215.14", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("100.63.255.255", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("172.15.255.255", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.0.1.1", true)]
    [InlineData("198.17.255.255", true)]
    [InlineData("198.20.0.1", true)]
    [InlineData("223.255.255.254", true)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("2a00:1450:4001:80b::200e", true)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("64:ff9b::808:808", true)] // NAT64 → 8.8.8.8, as DNS64 answers on an IPv6-only network
    [InlineData("2002:808:808::1", true)] // 6to4 → 8.8.8.8
    public void An_address_is_public_only_outside_every_special_purpose_range(string address, bool isPublic) =>
        Assert.Equal(isPublic, FederationHttp.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task The_federation_handler_goes_direct_even_when_a_proxy_is_configured()
    {
        await using var peer = await LoopbackServer.ServingAsync("127.0.0.1", "{}");
        using var handler = FederationHttp.CreateHandler(new FederationOptions { AllowedPrivateHosts = ["127.0.0.1"] });
        // What HTTP_PROXY would configure: a proxy that is not there. Used, every request would fail.
        handler.Proxy = new WebProxy(new Uri("http://127.0.0.1:9"));

        using var client = new HttpClient(handler);

        Assert.False(handler.UseProxy);
        Assert.Equal("{}", await client.GetStringAsync(peer.Origin + "/users/a"));
    }

    private static Task<PlazaApp> StartAsync(params string[] peerHosts) => StartAsync(null, peerHosts);

    private static Task<PlazaApp> StartAsync(TimeSpan? deadline, params string[] peerHosts) =>
        PlazaApp.StartAsync(Store.Sqlite, configure: app =>
        {
            for (var i = 0; i < peerHosts.Length; i++)
            {
                app.Settings[$"Plaza:Federation:AllowedPrivateHosts:{i}"] = peerHosts[i];
            }
            if (deadline is { } d)
            {
                app.Settings["Plaza:Federation:RemoteReadDeadline"] = d.ToString();
            }
        });

    private static async Task<System.Text.Json.JsonDocument?> FetchAsync(PlazaApp app, string iri)
    {
        await using var scope = app.Services.CreateAsyncScope();
        // The test's own limit, so a fetch that nothing else stops fails the test instead of hanging it.
        using var limit = new CancellationTokenSource(TestLimit);
        return await scope.ServiceProvider.GetRequiredService<RemoteActors>().GetJsonAsync(iri, limit.Token);
    }

    [Fact]
    public async Task A_redirect_to_a_blocked_domain_is_refused_before_anything_is_sent_there()
    {
        await using var blocked = await LoopbackServer.ServingAsync("127.0.0.2", """{"id":"blocked"}""");
        await using var peer = await LoopbackServer.RedirectingAsync("127.0.0.1", blocked.Origin + "/users/a");
        await using var app = await StartAsync(peer.Host, blocked.Host);
        await app.WithDb(null, db =>
        {
            db.BlockedDomains.Add(new BlockedDomain { Domain = blocked.Host, BlockedAt = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });

        var refused = await Assert.ThrowsAsync<RemoteFetchRefusedException>(() => FetchAsync(app, peer.Origin + "/users/a"));

        Assert.Contains("blocked", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, peer.Hits);
        Assert.Equal(0, blocked.Hits);
    }

    [Fact]
    public async Task Redirects_elsewhere_are_followed_twice_at_most()
    {
        await using var target = await LoopbackServer.ServingAsync("127.0.0.3", """{"id":"moved"}""");
        await using var second = await LoopbackServer.RedirectingAsync("127.0.0.2", target.Origin + "/users/a", StatusCodes.Status301MovedPermanently);
        await using var first = await LoopbackServer.RedirectingAsync("127.0.0.1", second.Origin + "/users/a");
        await using var app = await StartAsync(first.Host, second.Host, target.Host);

        using var moved = await FetchAsync(app, first.Origin + "/users/a");
        Assert.Equal("moved", moved!.RootElement.GetProperty("id").GetString());

        await using var third = await LoopbackServer.RedirectingAsync("127.0.0.4", first.Origin + "/users/a");
        await using var far = await StartAsync(first.Host, second.Host, target.Host, third.Host);
        await Assert.ThrowsAsync<RemoteFetchRefusedException>(() => FetchAsync(far, third.Origin + "/users/a"));
        Assert.Equal(1, target.Hits);
    }

    /// <summary>Sends its headers at once, then one byte of a 1,000-byte body per second.</summary>
    private static Task<LoopbackServer> TricklingAsync(string address) =>
        LoopbackServer.StartAsync(address, async context =>
        {
            context.Response.ContentType = "application/activity+json";
            context.Response.ContentLength = 1000;
            await context.Response.StartAsync();
            try
            {
                for (var i = 0; i < 1000; i++)
                {
                    await context.Response.Body.WriteAsync(" "u8.ToArray(), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The node hung up.
            }
        });

    private static readonly TimeSpan ShortDeadline = TimeSpan.FromSeconds(2);

    // Far below the trickle's 1,000 s, far above the deadline: room for a machine busy with other tests.
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(8);

    /// <summary>Makes the instance key that signs fetches (RSA key generation takes a while on a busy machine), so the test times the fetch alone.</summary>
    private static async Task WarmUpAsync(PlazaApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FederationKeys>().InstanceAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_peer_trickling_its_body_is_cut_off_at_the_deadline()
    {
        await using var peer = await TricklingAsync("127.0.0.1");
        await using var app = await StartAsync(ShortDeadline, peer.Host);
        await WarmUpAsync(app);
        var watch = Stopwatch.StartNew();

        var failed = await Assert.ThrowsAsync<HttpRequestException>(() => FetchAsync(app, peer.Origin + "/users/slow"));

        Assert.IsType<TimeoutException>(failed.InnerException);
        Assert.InRange(watch.Elapsed, ShortDeadline - TimeSpan.FromMilliseconds(100), ShortDeadline + Slack);
        Assert.Equal(1, peer.Hits);
    }

    [Fact]
    public async Task Following_an_account_on_a_trickling_peer_is_a_refusal_within_the_deadline_not_a_server_error()
    {
        await using var peer = await TricklingAsync("127.0.0.1");
        await using var app = await StartAsync(ShortDeadline, peer.Host);
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        using var owner = app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner));
        owner.Timeout = TestLimit;
        await WarmUpAsync(app);
        var watch = Stopwatch.StartNew();

        var followed = await owner.PostAsJsonAsync("/api/v1/shops/demo/following", new { account = peer.Origin + "/users/slow" });

        Assert.Equal(HttpStatusCode.BadRequest, followed.StatusCode);
        Assert.Contains("No reachable ActivityPub actor", await followed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, ShortDeadline + Slack);
        Assert.True(app.Errors.Entries.IsEmpty, string.Join('\n', app.Errors.Entries));
    }
}
