using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Console;
using Plaza.Features.Notifications;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Notifications;

/// <summary>
/// Web Push end to end: the node encrypts and signs each message for a push service the test runs
/// (<see cref="TestPushService"/>, which checks the VAPID token and decrypts with the keys the test made).
/// </summary>
public sealed class PushTests
{
    private static Task<PlazaApp> StartAsync(Store store, TimeProvider? clock = null) =>
        PlazaApp.StartAsync(store, clock, a =>
        {
            a.Settings["Plaza:Federation:AllowedPrivateHosts:0"] = "127.0.0.1";
            a.Settings["Plaza:Notifications:SweepSeconds"] = "1";
        });

    private static async Task<HttpResponseMessage> SubscribeStaffAsync(ConsoleSession staff, TestShop shop, TestPushService.Subscriber phone)
    {
        var board = $"/console/{shop.Slug}/board";
        return await staff.PostFormAsync(board + "?handler=Push",
            new() { ["endpoint"] = phone.Endpoint, ["p256dh"] = phone.P256dh, ["auth"] = phone.Auth }, await staff.TokenAsync(board));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_new_order_reaches_the_staff_phone_and_the_customer_who_asked_hears_it_is_ready(Store store)
    {
        await using var push = await TestPushService.StartAsync();
        await using var app = await StartAsync(store);
        var shop = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var phone = push.Subscribe("staff-phone");
        Assert.Equal(HttpStatusCode.NoContent, (await SubscribeStaffAsync(staff, shop, phone)).StatusCode);

        // A customer at the table orders; their phone speaks Chinese and asks to be told.
        using var customer = app.CreateClient();
        customer.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var order = await Asserts.CreatedAsync(await PlaceAsync(customer, shop, Order(shop, type: "dineIn", table: shop.Table.Code, items: [Line(shop.Cake.Id, 2)])));
        var id = order.GetProperty("id").GetGuid();
        var number = order.GetProperty("number").GetString();

        var placed = await push.WaitForAsync(phone, ":placed");
        Assert.Equal($"New order {number}", placed.Title);
        Assert.Contains("2× Cake", placed.Body, StringComparison.Ordinal);
        Assert.Contains(shop.Table.Name, placed.Body, StringComparison.Ordinal);
        Assert.Equal($"/console/{shop.Slug}/board", placed.Url);
        Assert.Equal("high", placed.Urgency);
        // Signed with the key browsers subscribe with.
        var key = (await customer.GetFromJsonAsync<JsonElement>("/api/v1/push/key")).GetProperty("publicKey").GetString();
        Assert.Equal(key, placed.VapidKey);

        var browser = push.Subscribe("customer-phone");
        Assert.Equal(HttpStatusCode.NoContent, (await customer.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/push", browser.Json)).StatusCode);
        using var api = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        Assert.True((await api.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "accepted", readyInMinutes = 10 })).IsSuccessStatusCode);
        var accepted = await push.WaitForAsync(browser, ":accepted");
        Assert.Equal($"订单 {number} 已接单", accepted.Title);
        Assert.StartsWith("预计", accepted.Body, StringComparison.Ordinal);
        Assert.True((await api.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "ready" })).IsSuccessStatusCode);
        var ready = await push.WaitForAsync(browser, ":ready");
        Assert.Equal($"订单 {number} 已出餐", ready.Title);
        Assert.Equal("马上送到您桌上。", ready.Body);
        Assert.Equal($"/s/{shop.Slug}/orders/{id}", ready.Url);

        // Told once each: telling again (as every sweep and every other process does) queues nothing new.
        var alerts = app.Services.GetRequiredService<OrderAlerts>();
        Assert.Equal(0, await alerts.TellAsync(null, CancellationToken.None));
        Assert.Equal(0, await alerts.TellAsync(id, CancellationToken.None));
        await Task.Delay(500);
        Assert.Single(push.To(phone));
        Assert.Equal(2, push.To(browser).Count);
        Assert.Empty(push.Faults);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_push_service_that_is_down_gets_the_message_later_and_a_forgotten_subscription_is_removed(Store store)
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var push = await TestPushService.StartAsync();
        await using var app = await StartAsync(store, clock);
        var shop = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var phone = push.Subscribe("staff-phone");
        phone.Answer = 503;
        Assert.Equal(HttpStatusCode.NoContent, (await SubscribeStaffAsync(staff, shop, phone)).StatusCode);

        var first = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)));
        await FakePeer.WaitUntilAsync(() => phone.Refused > 0, "the push service refused the first attempt");
        phone.Answer = 201;
        // The retry is due 10 s on the node's clock. Moved on until it comes: the worker may not be waiting on the clock
        // yet when it is first moved (it is still noting the refusal), and a timer made after a move waits for the next.
        for (var moves = 0; moves < 20 && !push.To(phone).Any(m => m.Tag.EndsWith(":placed", StringComparison.Ordinal)); moves++)
        {
            clock.Advance(TimeSpan.FromSeconds(11));
            await Task.Delay(250);
        }
        var late = await push.WaitForAsync(phone, ":placed");
        Assert.Contains(first.GetProperty("number").GetString()!, late.Title, StringComparison.Ordinal);

        // The browser unsubscribed (or was uninstalled): its push service answers 410 Gone, and the node forgets it.
        phone.Answer = 410;
        await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)));
        await FakePeer.WaitUntilAsync(async () => !await app.WithDb(shop.Shop, db => db.PushDevices.AnyAsync()), "the gone subscription is removed");
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.PushNotes.CountAsync(n => n.SentAt == null)));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_shop_nobody_watches_takes_no_orders_and_takes_them_again_when_a_board_opens(Store store)
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var push = await TestPushService.StartAsync();
        await using var app = await StartAsync(store, clock);
        var shop = await CreateAsync(app, s => s.UnattendedMinutes = 5);
        var client = app.CreateClient();

        // Nobody has opened the board: the order is refused, says why, and nothing is written.
        var refused = await PlaceAsync(client, shop, Order(shop));
        await Asserts.ProblemAsync(refused, HttpStatusCode.Conflict, "shop-unattended");
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Orders.CountAsync()));
        var menu = await client.GetStringAsync($"/s/{shop.Slug}");
        Assert.Contains("nobody is at the counter", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("Add to order", menu, StringComparison.Ordinal);

        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/console/{shop.Slug}/board/events"))
        {
            using var stream = await staff.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
            Assert.Contains("connected", await SseReader.NextDataAsync(reader, timeout.Token), StringComparison.Ordinal);

            // A board is open: orders are taken at once, and the menu offers them again.
            await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)));
            menu = await client.GetStringAsync($"/s/{shop.Slug}");
            Assert.DoesNotContain("nobody is at the counter", menu, StringComparison.Ordinal);
            Assert.Contains("Add to order", menu, StringComparison.Ordinal);
            clock.Advance(TimeSpan.FromMinutes(30));
            await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)));
        }

        // The board closed: orders are taken for the set time after, then refused.
        var attendance = app.Services.GetRequiredService<Attendance>();
        await FakePeer.WaitUntilAsync(() => attendance.OpenBoards(shop.Shop.Id) == 0, "the node sees the board close");
        clock.Advance(TimeSpan.FromMinutes(4));
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)));
        clock.Advance(TimeSpan.FromMinutes(2));
        await Asserts.ProblemAsync(await PlaceAsync(client, shop, Order(shop)), HttpStatusCode.Conflict, "shop-unattended");

        // A staff phone set to alert counts as someone watching, with no board open.
        Assert.Equal(HttpStatusCode.NoContent, (await SubscribeStaffAsync(staff, shop, push.Subscribe("staff-phone"))).StatusCode);
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)));
        Assert.Equal(4, await app.WithDb(shop.Shop, db => db.Orders.CountAsync()));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Staff_are_warned_before_an_order_is_rejected_unanswered_and_a_customer_hears_when_it_runs_late(Store store)
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var push = await TestPushService.StartAsync();
        await using var app = await StartAsync(store, clock);
        var shop = await CreateAsync(app, s => s.AcceptWithinMinutes = 5);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var phone = push.Subscribe("staff-phone");
        Assert.Equal(HttpStatusCode.NoContent, (await SubscribeStaffAsync(staff, shop, phone)).StatusCode);
        var client = app.CreateClient();

        // Nobody answers: four minutes on, the staff's phone is told the order goes in a minute unless accepted.
        var unanswered = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)));
        await push.WaitForAsync(phone, ":placed");
        Assert.DoesNotContain(push.To(phone), m => m.Tag.EndsWith(":overdue", StringComparison.Ordinal));
        clock.Advance(TimeSpan.FromMinutes(4.1));
        var overdue = await push.WaitForAsync(phone, ":overdue");
        Assert.Equal($"Accept order {unanswered.GetProperty("number").GetString()} now", overdue.Title);

        // Accepted for 10 minutes and still not ready 5 minutes after that: the customer hears it runs late, once.
        var late = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)));
        var id = late.GetProperty("id").GetGuid();
        var browser = push.Subscribe("customer-phone");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/push", browser.Json)).StatusCode);
        using var api = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        Assert.True((await api.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "accepted", readyInMinutes = 10 })).IsSuccessStatusCode);
        await push.WaitForAsync(browser, ":accepted");
        clock.Advance(TimeSpan.FromMinutes(16));
        var running = await push.WaitForAsync(browser, ":late");
        Assert.Equal($"Order {late.GetProperty("number").GetString()} is running late", running.Title);
        await Task.Delay(2500);
        Assert.Single(push.To(browser), m => m.Tag.EndsWith(":late", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscription_that_is_not_a_browsers_is_refused_and_nothing_is_kept()
    {
        await using var push = await TestPushService.StartAsync();
        await using var app = await StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();
        var id = (await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)))).GetProperty("id").GetGuid();
        var url = $"/api/v1/shops/{shop.Slug}/orders/{id}/push";
        var good = push.Subscribe("good");

        // Not https (and not a host the operator allowed), keys of the wrong size, an unknown order.
        var plain = await client.PostAsJsonAsync(url, new { endpoint = "http://push.example/x", keys = new { p256dh = good.P256dh, auth = good.Auth } });
        var errors = (await Asserts.ProblemAsync(plain, HttpStatusCode.BadRequest, "invalid-request")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("endpoint", out _));
        var keys = await client.PostAsJsonAsync(url, new { endpoint = good.Endpoint, keys = new { p256dh = "AAAA", auth = good.P256dh } });
        errors = (await Asserts.ProblemAsync(keys, HttpStatusCode.BadRequest, "invalid-request")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("keys.p256dh", out _));
        Assert.True(errors.TryGetProperty("keys.auth", out _));
        await Asserts.ProblemAsync(await client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{Guid.NewGuid()}/push", good.Json), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.PushDevices.CountAsync()));

        // One browser subscribing again is still one device; a few browsers per order, no more.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync(url, good.Json)).StatusCode);
        }
        for (var i = 1; i < PushDevices.PerOrder; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync(url, push.Subscribe($"tab{i}").Json)).StatusCode);
        }
        await Asserts.ProblemAsync(await client.PostAsJsonAsync(url, push.Subscribe("one-too-many").Json), HttpStatusCode.Conflict, "too-many-devices");
        Assert.Equal(PushDevices.PerOrder, await app.WithDb(shop.Shop, db => db.PushDevices.CountAsync()));
    }
}
