using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

[LongRunning]
public sealed class ClosedDatesTests
{
    // 08:00 on Tuesday 10 March 2026 in Los Angeles (UTC−7): the shop's local dates and UTC dates
    // differ for its last opening hours, 17:00–18:00 local being 00:00–01:00 UTC the next day.
    private static readonly DateTimeOffset Morning = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    private static Action<Shop> InLosAngeles => shop =>
    {
        OpenEightToSix(100)(shop);
        shop.TimeZone = "America/Los_Angeles";
    };

    private static async Task<Dictionary<string, int>> SlotsPerDayAsync(PlazaApp app, TestShop shop) =>
        (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/slots")).EnumerateArray()
            .GroupBy(s => s.GetProperty("localDate").GetString()!).ToDictionary(g => g.Key, g => g.Count());

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_closed_date_in_the_shops_zone_takes_its_slots_and_orders_away_until_the_owner_opens_it_again(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(Morning));
        var shop = await CreateAsync(app, InLosAngeles);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/closed";
        var before = await SlotsPerDayAsync(app, shop);
        Assert.True(before.GetValueOrDefault("2026-03-11") > 0, "The shop should offer times on the 11th before it closes.");
        // 17:30 on the 11th in Los Angeles: already the 12th in UTC.
        var lateOnTheEleventh = Order(shop, pickupAt: "2026-03-12T00:30:00Z");

        var added = await owner.PostFormAsync(page, new() { ["Date"] = "2026-03-11", ["Note"] = "Staff outing" }, await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var closed = await SlotsPerDayAsync(app, shop);
        Assert.False(closed.ContainsKey("2026-03-11"), "A closed day still offers times.");
        Assert.Equal(before["2026-03-10"], closed["2026-03-10"]);
        Assert.Equal(before["2026-03-12"], closed["2026-03-12"]);
        var refused = await PlaceAsync(app.CreateClient(), shop, lateOnTheEleventh);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:plaza:problem:slot-unavailable", (await refused.JsonAsync()).GetProperty("type").GetString());
        Assert.Contains("Closed on Wed 11 Mar (Staff outing)", await app.CreateClient().GetStringAsync($"/s/{shop.Slug}"), StringComparison.Ordinal);

        var id = await app.WithDb(null, db => db.Set<ClosedDate>().Where(d => d.ShopId == shop.Shop.Id).Select(d => d.Id).SingleAsync());
        var removed = await owner.PostFormAsync($"{page}?handler=Remove&id={id}", [], await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(before, await SlotsPerDayAsync(app, shop));
        await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, lateOnTheEleventh));
        Assert.DoesNotContain("Closed on", await app.CreateClient().GetStringAsync($"/s/{shop.Slug}"), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task On_a_closed_day_the_menu_says_so_and_an_order_for_now_is_refused(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(Morning.AddHours(3)));
        var shop = await CreateAsync(app, InLosAngeles);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/closed";
        Assert.Contains("Open now", await app.CreateClient().GetStringAsync($"/s/{shop.Slug}"), StringComparison.Ordinal);

        await owner.PostFormAsync(page, new() { ["Date"] = "2026-03-10", ["Note"] = "Inventory" }, await owner.TokenAsync(page));

        Assert.Contains("Closed today (Inventory)", await app.CreateClient().GetStringAsync($"/s/{shop.Slug}"), StringComparison.Ordinal);
        var refused = await PlaceAsync(app.CreateClient(), shop, Order(shop));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("urn:plaza:problem:shop-closed", (await refused.JsonAsync()).GetProperty("type").GetString());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_past_or_malformed_or_repeated_date_is_refused_and_nothing_is_added(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(Morning));
        var shop = await CreateAsync(app, InLosAngeles);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/closed";
        await owner.PostFormAsync(page, new() { ["Date"] = "2026-03-12" }, await owner.TokenAsync(page));

        foreach (var (date, message) in new[] { ("2026-03-09", "already past"), ("11/03/2026", "Choose a date"), ("2026-03-12", "already closed that day") })
        {
            var refused = await owner.PostFormAsync(page, new() { ["Date"] = date, ["Note"] = "x" }, await owner.TokenAsync(page));

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal([new DateOnly(2026, 3, 12)], await app.WithDb(null, db => db.Set<ClosedDate>().Where(d => d.ShopId == shop.Shop.Id).Select(d => d.Date).ToListAsync()));
    }
}
