using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Sales;

public sealed class SalesReportTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_report_adds_up_todays_orders_by_type_and_item_and_leaves_out_refused_orders_and_other_shops(Store store)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero));
        await using var app = await PlazaApp.StartAsync(store, clock);
        var shop = await CreateAsync(app, s => s.TipsEnabled = true);
        var other = await CreateAsync(app);
        var client = app.CreateClient();
        using var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));

        var pickup = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id, 2)])));
        var dineIn = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, type: "dineIn",
            items: [Line(shop.Coffee.Id, 1, shop.Large.Id)], tip: new { percent = 10 })));
        var delivery = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, type: "delivery", items: [Line(shop.Cake.Id, 3)],
            address: new { text = "Oranienstraße 30", latitude = 52.5012, longitude = 13.4195 })));
        var rejected = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id, 1)])));
        var cancelled = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Coffee.Id, 4, shop.Large.Id)])));
        await Asserts.CreatedAsync(await PlaceAsync(client, other, Order(other, items: [Line(other.Cake.Id, 9)])));
        await MoveAsync(staff, shop, rejected, "rejected");
        await MoveAsync(staff, shop, cancelled, "cancelled");
        // Coupons took something off the pickup and the refused order: only what a sold order gave counts as given.
        var (pickupId, rejectedId) = (pickup.GetProperty("id").GetGuid(), rejected.GetProperty("id").GetGuid());
        await app.WithDb(shop.Shop, async db =>
        {
            await db.Orders.Where(o => o.Id == pickupId).ExecuteUpdateAsync(u => u.SetProperty(o => o.Discount, 120));
            return await db.Orders.Where(o => o.Id == rejectedId).ExecuteUpdateAsync(u => u.SetProperty(o => o.Discount, 450));
        });

        var report = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/reports/sales?period=today");

        JsonElement[] sold = [pickup, dineIn, delivery];
        var gross = sold.Sum(o => Amount(o, "total"));
        Assert.Equal("2026-03-10", report.GetProperty("from").GetString());
        Assert.Equal("2026-03-10", report.GetProperty("to").GetString());
        var sales = report.GetProperty("sales");
        Assert.Equal(3, sales.GetProperty("orders").GetInt32());
        Assert.Equal(2 * 450 + 360 + 36 + 3 * 450 + 250, gross); // the cakes, a large coffee and its 10 % tip, the delivery fee
        Assert.Equal(gross, Amount(sales, "gross"));
        Assert.Equal(sold.Sum(o => Amount(o, "tax")), Amount(sales, "tax"));
        Assert.Equal(36, Amount(sales, "tips"));
        Assert.Equal(250, Amount(sales, "deliveryFees"));
        Assert.Equal(MoneyRounding.Divide(gross, 3), Amount(sales, "averageTicket"));
        Assert.Equal("EUR", sales.GetProperty("gross").GetProperty("currency").GetString());
        var itemSales = 2 * 450 + 360 + 3 * 450;
        Assert.Equal(itemSales, Amount(sales, "itemSales"));
        Assert.Equal(25, report.GetProperty("platformCommissionPercent").GetInt32());
        Assert.Equal(MoneyRounding.Divide(itemSales * 25, 100), Amount(report, "platformWouldHaveTaken"));

        var types = report.GetProperty("types").EnumerateArray().ToDictionary(t => t.GetProperty("type").GetString()!, t => t.GetProperty("sales"));
        Assert.Equal(1, types["pickup"].GetProperty("orders").GetInt32());
        Assert.Equal(Amount(pickup, "total"), Amount(types["pickup"], "gross"));
        Assert.Equal(1, types["dineIn"].GetProperty("orders").GetInt32());
        Assert.Equal(Amount(dineIn, "total"), Amount(types["dineIn"], "gross"));
        Assert.Equal(1, types["delivery"].GetProperty("orders").GetInt32());

        var byQuantity = report.GetProperty("topItemsByQuantity").EnumerateArray().ToList();
        Assert.Equal(["Cake", "Coffee"], byQuantity.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(5, byQuantity[0].GetProperty("quantity").GetInt32());
        Assert.Equal(5 * 450, Amount(byQuantity[0], "revenue"));
        Assert.Equal(1, byQuantity[1].GetProperty("quantity").GetInt32()); // the cancelled four coffees are not sales
        Assert.Equal("Cake", report.GetProperty("topItemsByRevenue")[0].GetProperty("name").GetString());
        Assert.Equal(120, Amount(report, "discounts"));

        Assert.Equal(1, report.GetProperty("rejected").GetProperty("orders").GetInt32());
        Assert.Equal(Amount(rejected, "total"), Amount(report.GetProperty("rejected"), "value"));
        Assert.Equal(1, report.GetProperty("cancelled").GetProperty("orders").GetInt32());
        Assert.Equal(4 * 360, Amount(report.GetProperty("cancelled"), "value"));
        var day = Assert.Single(report.GetProperty("days").EnumerateArray());
        Assert.Equal(gross, Amount(day.GetProperty("sales"), "gross"));

        // Top items carry the item's name as it is now; one deleted since keeps the name it was sold under.
        await app.WithDb(shop.Shop, async db =>
        {
            await db.Items.Where(i => i.Id == shop.Cake.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.Name, "Käsekuchen"));
            await db.OrderLines.Where(l => l.ItemId == shop.Coffee.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.ItemId, 999_999));
            return 0;
        });
        var renamed = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/reports/sales?period=today");
        Assert.Equal(["Käsekuchen", "Coffee"], renamed.GetProperty("topItemsByQuantity").EnumerateArray().Select(i => i.GetProperty("name").GetString()));

        // The owner sees the same figures in the console; staff may not open the page.
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = await owner.Client.GetStringAsync($"/console/{shop.Slug}/reports?period=today");
        Assert.Contains(Currencies.Format(new Money(gross, "EUR")), page, StringComparison.Ordinal);
        Assert.Contains($"would have kept {Currencies.Format(new Money(MoneyRounding.Divide(itemSales * 25, 100), "EUR"))}", page, StringComparison.Ordinal);
        using var counter = await ConsoleSession.SignedInAsync(app, "staff@example.com", (shop, ShopRole.Staff));
        Assert.Equal(HttpStatusCode.Forbidden, (await counter.Client.GetAsync($"/console/{shop.Slug}/reports")).StatusCode);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Days_are_the_shops_local_days_not_utc_days(Store store)
    {
        // Shanghai is UTC+8: 15:30 UTC is 23:30 on the 9th there, 16:30 UTC is 00:30 on the 10th.
        var clock = new TestClock(new DateTimeOffset(2026, 3, 9, 15, 30, 0, TimeSpan.Zero));
        await using var app = await PlazaApp.StartAsync(store, clock);
        var shop = await CreateAsync(app, s => { s.TimeZone = "Asia/Shanghai"; s.AutoAccept = true; });
        var client = app.CreateClient();
        using var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));

        var lateOn9th = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id, 1)])));
        clock.Set(new DateTimeOffset(2026, 3, 9, 16, 30, 0, TimeSpan.Zero));
        var earlyOn10th = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id, 2)])));

        var today = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/reports/sales?period=today");
        Assert.Equal("2026-03-10", today.GetProperty("from").GetString());
        Assert.Equal(1, today.GetProperty("sales").GetProperty("orders").GetInt32());
        Assert.Equal(Amount(earlyOn10th, "total"), Amount(today.GetProperty("sales"), "gross"));

        var week = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/reports/sales?period=7d");
        Assert.Equal("2026-03-04", week.GetProperty("from").GetString());
        Assert.Equal(7, week.GetProperty("days").GetArrayLength());
        Assert.Equal(2, week.GetProperty("sales").GetProperty("orders").GetInt32());

        var custom = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/reports/sales?period=custom&from=2026-03-09&to=2026-03-09");
        var day = Assert.Single(custom.GetProperty("days").EnumerateArray());
        Assert.Equal("2026-03-09", day.GetProperty("date").GetString());
        Assert.Equal(1, day.GetProperty("sales").GetProperty("orders").GetInt32());
        Assert.Equal(Amount(lateOn9th, "total"), Amount(day.GetProperty("sales"), "gross"));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_report_needs_a_token_of_its_shop_and_a_sensible_period(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);
        var url = $"/api/v1/shops/{shop.Slug}/reports/sales";

        await Asserts.ProblemAsync(await app.CreateClient().GetAsync(url), HttpStatusCode.Unauthorized, "unauthorized");
        using var otherStaff = app.StaffClient(await app.IssueTokenAsync(other.Shop, scope: TokenScope.Owner));
        await Asserts.ProblemAsync(await otherStaff.GetAsync(url), HttpStatusCode.Unauthorized, "unauthorized");

        using var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));
        var problem = await Asserts.ProblemAsync(await staff.GetAsync(url + "?period=custom&from=2026-03-10&to=2026-03-01"), HttpStatusCode.BadRequest, "invalid-request");
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));
        await Asserts.ProblemAsync(await staff.GetAsync(url + "?period=custom&from=2024-01-01&to=2026-01-01"), HttpStatusCode.BadRequest, "invalid-request");
        await Asserts.ProblemAsync(await staff.GetAsync(url + "?period=year"), HttpStatusCode.BadRequest, "invalid-request");
        await Asserts.ProblemAsync(await staff.GetAsync(url + "?period=custom&from=yesterday&to=2026-03-01"), HttpStatusCode.BadRequest, "invalid-request");
    }

    private static long Amount(JsonElement element, string property) => element.GetProperty(property).GetProperty("amount").GetInt64();

    private static async Task MoveAsync(HttpClient staff, TestShop shop, JsonElement order, string status)
    {
        var response = await staff.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{order.GetProperty("id").GetGuid()}/status", new { status, reason = "Test" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
