using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Common;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Abuse;

/// <summary>
/// The node on Kestrel behind a real nginx, reached by clients bound to different loopback
/// addresses, as customers behind one proxy are told apart (or not) by <c>Plaza:TrustedProxies</c>.
/// </summary>
public sealed partial class ProxyTests
{
    private static readonly IPAddress Alice = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Bob = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task Behind_a_trusted_proxy_one_client_reaching_the_order_limit_leaves_another_unaffected()
    {
        await using var app = await StartNodeAsync(trustedProxies: "127.0.0.1");
        var shop = await CreateAsync(app);
        using var nginx = await Nginx.StartAsync(NodeAddress(app));
        using var alice = ClientFrom(Alice, nginx.BaseAddress);
        using var bob = ClientFrom(Bob, nginx.BaseAddress);

        // Alice also claims a new address each time; nginx appends her real one, and only that counts.
        var aliceStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            aliceStatuses.Add(await PlaceWithForwardedForAsync(alice, shop, $"alice-{i}", $"198.51.100.{i + 1}"));
        }
        var bobStatus = await PlaceWithForwardedForAsync(bob, shop, "bob-0", forwardedFor: null);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], aliceStatuses);
        Assert.Equal(HttpStatusCode.Created, bobStatus);
        Assert.Equal(4, await Asserts.OrderCountAsync(app));
    }

    [Fact]
    public async Task Forwarded_headers_sent_straight_to_the_node_by_an_address_not_trusted_change_nothing()
    {
        await using var app = await StartNodeAsync(trustedProxies: "127.0.0.1");
        var shop = await CreateAsync(app);
        // Straight to Kestrel, not through nginx: what anyone who can reach the node's port may send.
        using var mallory = ClientFrom(Alice, NodeAddress(app));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await PlaceWithForwardedForAsync(mallory, shop, $"mallory-{i}", $"203.0.113.{i + 1}"));
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(3, await Asserts.OrderCountAsync(app));
    }

    [Fact]
    public async Task With_no_trusted_proxy_every_client_behind_the_proxy_counts_as_the_proxy()
    {
        await using var app = await StartNodeAsync(trustedProxies: null);
        var shop = await CreateAsync(app);
        using var nginx = await Nginx.StartAsync(NodeAddress(app));
        using var alice = ClientFrom(Alice, nginx.BaseAddress);
        using var bob = ClientFrom(Bob, nginx.BaseAddress);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, await PlaceWithForwardedForAsync(alice, shop, $"alice-{i}", forwardedFor: null));
        }
        var bobStatus = await PlaceWithForwardedForAsync(bob, shop, "bob-0", forwardedFor: null);

        Assert.Equal(HttpStatusCode.TooManyRequests, bobStatus);
    }

    [Fact]
    public async Task Behind_a_trusted_https_proxy_cookies_are_secure_hsts_is_sent_and_links_use_the_public_url()
    {
        var dir = Path.Combine(Path.GetTempPath(), "plaza-proxy-tls", Guid.NewGuid().ToString("N"));
        using var tls = new LocalTls(dir);
        await using var app = await StartNodeAsync(trustedProxies: "127.0.0.1", publicUrl: "https://plaza.example");
        var shop = await CreateAsync(app);
        using var nginx = await Nginx.StartAsync(NodeAddress(app), tls);
        var cookies = new CookieContainer();
        // The Host header is not the public one (a proxy's internal name, or one a client made up).
        using var browser = new ConsoleSession(BrowserThrough(nginx, tls, cookies, host: "plaza.internal"));

        var challenge = await browser.Client.GetAsync("/console");
        var signInPage = await browser.Client.GetAsync("/console/sign-in");
        await ConsoleSession.SignedInAsync(app, browser, "owner@example.com", (shop, ShopRole.Owner));
        var staffPage = $"/console/{shop.Slug}/staff";
        var invited = await browser.PostFormAsync(staffPage + "?handler=Invite", new() { ["role"] = "Staff" }, await browser.TokenAsync(staffPage));
        var nearby = await browser.Client.GetFromJsonAsync<JsonElement>(
            string.Create(CultureInfo.InvariantCulture, $"/api/v1/nearby?lat={shop.Shop.Latitude}&lon={shop.Shop.Longitude}&openOnly=false"));

        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.DoesNotContain("plaza.internal", challenge.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.True(signInPage.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "no Strict-Transport-Security header");
        Assert.StartsWith("max-age=", hsts.Single(), StringComparison.Ordinal);
        var all = cookies.GetAllCookies();
        Assert.Contains(all, c => c.Name == "plaza.console");
        Assert.Contains(all, c => c.Name.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Empty(all.Where(c => !c.Secure).Select(c => c.Name)); // the names of cookies without Secure
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.StartsWith("https://plaza.example/console/join/", InviteLink().Match(await invited.Content.ReadAsStringAsync()).Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains(nearby.EnumerateArray(), s => s.GetProperty("url").GetString() == $"https://plaza.example/s/{shop.Slug}/c/nearby"
            && s.GetProperty("actor").GetString() == $"https://plaza.example/actors/{shop.Slug}" && s.GetProperty("node").GetString() == "plaza.example");
    }

    [Fact]
    public async Task With_an_https_public_url_cookies_are_secure_even_when_the_node_hears_plain_http()
    {
        var dir = Path.Combine(Path.GetTempPath(), "plaza-proxy-tls", Guid.NewGuid().ToString("N"));
        using var tls = new LocalTls(dir);
        // The operator forgot TrustedProxies: the node cannot tell the browser came over https.
        await using var app = await StartNodeAsync(trustedProxies: null, publicUrl: "https://plaza.example");
        var shop = await CreateAsync(app);
        using var nginx = await Nginx.StartAsync(NodeAddress(app), tls);
        var cookies = new CookieContainer();
        using var browser = new ConsoleSession(BrowserThrough(nginx, tls, cookies, host: "plaza.example"));

        await ConsoleSession.SignedInAsync(app, browser, "owner@example.com", (shop, ShopRole.Owner));

        var all = cookies.GetAllCookies();
        Assert.Contains(all, c => c.Name == "plaza.console");
        Assert.Empty(all.Where(c => !c.Secure).Select(c => c.Name)); // the names of cookies without Secure
    }

    [Fact]
    public void Trusted_proxies_are_an_array_or_one_separated_string_and_a_bad_entry_stops_the_node()
    {
        static (List<IPAddress>, List<IPNetwork>) Read(params (string Key, string Value)[] settings) => TrustedProxies.Read(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

        var (arrayAddresses, arrayNetworks) = Read(("Plaza:TrustedProxies:0", "127.0.0.1"), ("Plaza:TrustedProxies:1", "10.0.0.0/8"), ("Plaza:TrustedProxies:2", "::1"));
        var (textAddresses, textNetworks) = Read(("Plaza:TrustedProxies", " 127.0.0.1, 10.0.0.0/8 ::1 "));

        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], arrayAddresses);
        Assert.Equal([IPNetwork.Parse("10.0.0.0/8")], arrayNetworks);
        Assert.Equal(arrayAddresses, textAddresses);
        Assert.Equal(arrayNetworks, textNetworks);
        var (noAddresses, noNetworks) = Read();
        Assert.Empty(noAddresses);
        Assert.Empty(noNetworks);
        Assert.Contains("nginx.internal", Assert.Throws<InvalidOperationException>(() => Read(("Plaza:TrustedProxies", "127.0.0.1,nginx.internal"))).Message, StringComparison.Ordinal);
    }

    private static async Task<PlazaApp> StartNodeAsync(string? trustedProxies, string publicUrl = "http://localhost") =>
        await PlazaApp.StartAsync(Store.Sqlite, configure: a =>
        {
            a.Settings["Plaza:RateLimits:OrdersPerMinute"] = "3";
            a.Settings["Plaza:PublicUrl"] = publicUrl;
            if (trustedProxies is not null)
            {
                a.Settings["Plaza:TrustedProxies"] = trustedProxies;
            }
            a.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        });

    private static Uri NodeAddress(PlazaApp app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task<HttpStatusCode> PlaceWithForwardedForAsync(HttpClient client, TestShop shop, string key, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/shops/{shop.Slug}/orders") { Content = JsonContent.Create(Order(shop)) };
        request.Headers.Add("Idempotency-Key", key);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            request.Headers.Add("X-Forwarded-Proto", "https");
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A client whose connections come from <paramref name="source"/>, as a second customer's phone would.</summary>
    private static HttpClient ClientFrom(IPAddress source, Uri baseAddress) =>
        new(new SocketsHttpHandler { ConnectCallback = (context, ct) => ConnectFromAsync(source, context, ct) }) { BaseAddress = baseAddress };

    /// <summary>A browser-like client of the proxy over TLS (the test CA's certificate pinned), cookies kept, redirects visible.</summary>
    private static HttpClient BrowserThrough(Nginx nginx, LocalTls tls, CookieContainer cookies, string host)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (context, ct) => ConnectFromAsync(Alice, context, ct),
            AllowAutoRedirect = false,
            CookieContainer = cookies,
            // Pinned rather than validated by name: the Host header is sent as the TLS server name too.
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == tls.ServerCertificate.GetCertHashString() },
        };
        var client = new HttpClient(handler) { BaseAddress = nginx.BaseAddress };
        client.DefaultRequestHeaders.Host = host;
        return client;
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [GeneratedRegex("id=\"invite-link\">([^<]+)<")]
    private static partial Regex InviteLink();
}
