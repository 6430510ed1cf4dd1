using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Abuse;

/// <summary>Live streams hold a connection and re-read the store: only a few may be open per order, per address and per person.</summary>
public sealed class StreamLimitTests
{
    /// <summary>An open event stream: its response and a reader that has seen the first event.</summary>
    private sealed class OpenStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }

    private static async Task<HttpResponseMessage> RequestAsync(HttpClient client, string url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private static async Task<OpenStream> OpenAsync(HttpClient client, string url, CancellationToken ct)
    {
        var response = await RequestAsync(client, url, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        await SseReader.NextDataAsync(reader, ct);
        return new OpenStream(response, reader);
    }

    private static async Task RefusedAsync(HttpClient client, string url, CancellationToken ct)
    {
        using var response = await RequestAsync(client, url, ct);
        // Checked before the body is read: an admitted stream's body never ends.
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        await Asserts.ProblemAsync(response, HttpStatusCode.TooManyRequests, "too-many-streams");
    }

    /// <summary>A closed stream's place comes back once the node sees the request end; the next one is let in then.</summary>
    private static async Task<OpenStream> OpenOnceFreedAsync(HttpClient client, string url, CancellationToken ct)
    {
        while (true)
        {
            var response = await RequestAsync(client, url, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
                await SseReader.NextDataAsync(reader, ct);
                return new OpenStream(response, reader);
            }
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            response.Dispose();
            Assert.False(ct.IsCancellationRequested, "The closed stream's place never came back.");
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private static async Task<Guid> PlaceOneAsync(PlazaApp app, TestShop shop) =>
        (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid();

    [Fact]
    public async Task One_order_may_have_only_a_few_streams_open_and_a_closed_one_frees_its_place()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:Limits:OrderStreamsPerOrder"] = "2");
        var shop = await CreateAsync(app);
        var url = $"/api/v1/shops/{shop.Slug}/orders/{await PlaceOneAsync(app, shop)}/events";
        var other = $"/api/v1/shops/{shop.Slug}/orders/{await PlaceOneAsync(app, shop)}/events";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = app.CreateClient();

        var first = await OpenAsync(client, url, timeout.Token);
        using var second = await OpenAsync(client, url, timeout.Token);
        await RefusedAsync(client, url, timeout.Token);
        using var elsewhere = await OpenAsync(client, other, timeout.Token);

        first.Dispose();
        using var third = await OpenOnceFreedAsync(client, url, timeout.Token);
        await RefusedAsync(client, url, timeout.Token);
    }

    [Fact]
    public async Task One_address_may_have_only_a_few_order_streams_open_and_a_closed_one_frees_its_place()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:Limits:OrderStreamsPerAddress"] = "3");
        var shop = await CreateAsync(app);
        var urls = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            urls.Add($"/api/v1/shops/{shop.Slug}/orders/{await PlaceOneAsync(app, shop)}/events");
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = app.CreateClient();

        var open = new List<OpenStream>();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await OpenAsync(client, urls[i], timeout.Token));
        }
        await RefusedAsync(client, urls[3], timeout.Token);
        Assert.Equal(3, app.Services.GetRequiredService<LiveStreams>().OpenUnder(LiveStreams.AddressKey(null)));

        open[0].Dispose();
        using var next = await OpenOnceFreedAsync(client, urls[4], timeout.Token);
        await RefusedAsync(client, urls[3], timeout.Token);
        open.Skip(1).ToList().ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task One_person_may_have_only_a_few_board_streams_open_and_a_closed_one_frees_its_place()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:Limits:BoardStreamsPerUser"] = "2");
        var shop = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, "staff@example.com", (shop, ShopRole.Staff));
        using var colleague = await ConsoleSession.SignedInAsync(app, "colleague@example.com", (shop, ShopRole.Staff));
        var url = $"/console/{shop.Slug}/board/events";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var first = await OpenAsync(staff.Client, url, timeout.Token);
        using var second = await OpenAsync(staff.Client, url, timeout.Token);
        await RefusedAsync(staff.Client, url, timeout.Token);
        using var theirs = await OpenAsync(colleague.Client, url, timeout.Token);

        first.Dispose();
        using var third = await OpenOnceFreedAsync(staff.Client, url, timeout.Token);
        await RefusedAsync(staff.Client, url, timeout.Token);
    }

    [Fact]
    public async Task A_stream_that_ends_with_its_order_gives_its_place_back()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:Limits:OrderStreamsPerOrder"] = "1");
        var shop = await CreateAsync(app);
        var id = await PlaceOneAsync(app, shop);
        var url = $"/api/v1/shops/{shop.Slug}/orders/{id}/events";
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = app.CreateClient();

        using (var response = await RequestAsync(client, url, timeout.Token))
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token)))
        {
            await SseReader.NextDataAsync(reader, timeout.Token);
            await RefusedAsync(client, url, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "rejected", reason = "Closed early" }, timeout.Token)).StatusCode);
            // The node ends the stream itself once the order is closed; the client reads to its end.
            while (await reader.ReadLineAsync(timeout.Token) is not null)
            {
            }
        }

        using var again = await OpenOnceFreedAsync(client, url, timeout.Token);
    }

    [Theory]
    [InlineData("203.0.113.7", "address:203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "address:203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "address:2001:db8:1:2::")]
    [InlineData("2001:db8:1:2::1", "address:2001:db8:1:2::")]
    public void An_IPv6_client_counts_by_its_64_bit_network(string address, string key) =>
        Assert.Equal(key, LiveStreams.AddressKey(IPAddress.Parse(address)));
}
