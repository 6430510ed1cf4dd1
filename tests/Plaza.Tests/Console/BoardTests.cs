using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Console;

/// <summary>Tests with a clock and sweep of their own start their own node; the others share a node per store (<see cref="SharedNodes"/>), each with shops and accounts of its own.</summary>
public sealed class BoardTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_order_not_accepted_in_time_is_rejected_and_its_customer_told(Store store)
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var app = await PlazaApp.StartAsync(store, clock, a => a.Settings["Plaza:Console:SweepSeconds"] = "0.1");
        var shop = await CreateAsync(app, s => s.AcceptWithinMinutes = 5);
        var client = app.CreateClient();
        var id = (await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Bun.Id, 2)])))).GetProperty("id").GetGuid();

        clock.Advance(TimeSpan.FromMinutes(4));
        // A sweep on the moved clock (run here, beside the background one) finds nothing due yet.
        Assert.Equal(0, await app.Services.GetServices<IHostedService>().OfType<AutoReject>().Single().SweepAsync(CancellationToken.None));
        Assert.Equal("placed", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/orders/{id}")).GetProperty("status").GetString());

        clock.Advance(TimeSpan.FromMinutes(1.5));
        var order = await WaitForStatusAsync(client, shop, id, "rejected");

        Assert.Equal(OrderReasons.NotConfirmedInTime, order.GetProperty("reasonCode").GetString());
        Assert.StartsWith("The shop did not confirm the order in time.", order.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("system", order.GetProperty("transitions")[1].GetProperty("actor").GetString());
        Assert.Equal(10, await Asserts.StockAsync(app, shop.Bun.Id)); // the buns are back on offer
        var page = await client.GetStringAsync($"/s/{shop.Slug}/orders/{id}");
        Assert.Contains("Rejected", page, StringComparison.Ordinal);
        Assert.Contains("did not confirm the order in time", page, StringComparison.Ordinal);

        // The reason is kept as a code and worded for each reader: a customer whose phone speaks Chinese reads it in Chinese.
        using var chinese = app.CreateClient();
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var chinesePage = await chinese.GetStringAsync($"/s/{shop.Slug}/orders/{id}");
        Assert.Contains("商家未能及时确认订单", chinesePage, StringComparison.Ordinal);
        Assert.DoesNotContain("did not confirm", chinesePage, StringComparison.Ordinal);
        var chineseOrder = await chinese.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/orders/{id}");
        Assert.StartsWith("商家未能及时确认订单", chineseOrder.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_auto_accepting_shop_accepts_on_placement_and_is_never_auto_rejected(Store store)
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        // The background sweep stays out of the way (an hour apart); the test runs it itself.
        await using var app = await PlazaApp.StartAsync(store, clock, a => a.Settings["Plaza:Console:SweepSeconds"] = "3600");
        var shop = await CreateAsync(app, s => s.AutoAccept = true);
        var manual = await CreateAsync(app);
        var client = app.CreateClient();

        var order = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)));
        var waiting = await Asserts.CreatedAsync(await PlaceAsync(client, manual, Order(manual)));
        clock.Advance(TimeSpan.FromMinutes(30));
        // The sweep runs now, on the moved clock: it rejects the order that waited and leaves the accepted one.
        var sweep = app.Services.GetServices<IHostedService>().OfType<AutoReject>().Single();
        Assert.Equal(1, await sweep.SweepAsync(CancellationToken.None));

        Assert.Equal("accepted", order.GetProperty("status").GetString());
        var now = await client.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/orders/{order.GetProperty("id").GetGuid()}");
        Assert.Equal("accepted", now.GetProperty("status").GetString());
        var rejected = await client.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{manual.Slug}/orders/{waiting.GetProperty("id").GetGuid()}");
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_board_stream_announces_a_new_order_of_its_shop_only()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/console/{shop.Slug}/board/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var stream = await staff.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Contains("connected", await SseReader.NextDataAsync(reader, timeout.Token), StringComparison.Ordinal);

        await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), other, Order(other)));
        var mine = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid();

        var data = await SseReader.NextDataAsync(reader, timeout.Token);
        Assert.Contains(mine.ToString(), data, StringComparison.Ordinal);
        Assert.Contains("placed", data, StringComparison.Ordinal);
        var card = await staff.Client.GetStringAsync($"/console/{shop.Slug}/board?handler=Card&id={mine}");
        Assert.Contains("Cake", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_open_board_gets_every_order_of_a_rush_in_full()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // The counter and the kitchen: two boards of one shop, open while 30 orders arrive at once.
        var boards = new List<(HttpResponseMessage Response, StreamReader Reader)>();
        for (var n = 0; n < 2; n++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/console/{shop.Slug}/board/events");
            var response = await staff.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            Assert.Contains("connected", await SseReader.NextDataAsync(reader, timeout.Token), StringComparison.Ordinal);
            boards.Add((response, reader));
        }

        var placed = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
            (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid()));

        foreach (var (response, reader) in boards)
        {
            var seen = new List<Guid>();
            while (seen.Count < placed.Length)
            {
                var data = JsonDocument.Parse(await SseReader.NextDataAsync(reader, timeout.Token)).RootElement;
                Assert.Equal("placed", data.GetProperty("status").GetString());
                seen.Add(data.GetProperty("orderId").GetGuid());
            }
            Assert.Equal(placed.Order(), seen.Order());
            reader.Dispose();
            response.Dispose();
        }
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_board_shows_what_a_platform_would_have_taken_from_todays_sales(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var client = app.CreateClient();
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id, 2)])));
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Bun.Id, 2)])));

        var html = await staff.Client.GetStringAsync($"/console/{shop.Slug}/board");

        // 9.00 + 7.00 = 16.00 today; 25 % of it is 4.00.
        Assert.Contains("Today: 2 orders, €16.00. A platform taking 25 % would have kept €4.00", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_move_an_order_from_the_board_and_the_customer_sees_it()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var client = app.CreateClient();
        var id = (await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)))).GetProperty("id").GetGuid();
        var board = $"/console/{shop.Slug}/board";
        var token = await staff.TokenAsync(board);

        var accept = await staff.PostFormAsync($"{board}?handler=Move&id={id}", new() { ["status"] = "accepted", ["readyInMinutes"] = "15" }, token);
        var ready = await staff.PostFormAsync($"{board}?handler=Move&id={id}", new() { ["status"] = "ready" }, token);

        Assert.Equal(HttpStatusCode.Redirect, accept.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ready.StatusCode);
        var order = await client.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/orders/{id}");
        Assert.Equal("ready", order.GetProperty("status").GetString());
        Assert.Equal("shop", order.GetProperty("transitions")[1].GetProperty("actor").GetString());
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, TestShop shop, Guid id, string status)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var order = await client.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/orders/{id}");
            if (order.GetProperty("status").GetString() == status)
            {
                return order;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Order {id} never became {status}.");
    }
}
