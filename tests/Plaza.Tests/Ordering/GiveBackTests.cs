using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>An order that will not be made gives back what it held: its pickup slot's seat and its stock.</summary>
public sealed class GiveBackTests
{
    private const string Noon = "2026-11-30T12:00:00+01:00";

    private static TestClock MorningClock() => new(DateTimeOffset.Parse("2026-11-30T10:00:00+01:00", CultureInfo.InvariantCulture));

    private static Task<HttpResponseMessage> MoveAsync(HttpClient staff, TestShop shop, Guid id, string status, string? reason = null) =>
        staff.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status, reason });

    /// <summary>Books the shop's only seat at noon and shows that a second order for noon is refused.</summary>
    private static async Task<Guid> FillNoonAsync(HttpClient customer, TestShop shop, object[]? items = null)
    {
        var id = (await Asserts.CreatedAsync(await PlaceAsync(customer, shop, Order(shop, items: items, pickupAt: Noon)))).GetProperty("id").GetGuid();
        await Asserts.ProblemAsync(await PlaceAsync(customer, shop, Order(shop, pickupAt: Noon)), HttpStatusCode.Conflict, "slot-unavailable");
        return id;
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_rejected_order_gives_its_pickup_slot_back(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, MorningClock());
        var shop = await CreateAsync(app, OpenEightToSix(slotCapacity: 1));
        var customer = app.CreateClient();
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        var id = await FillNoonAsync(customer, shop);

        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(staff, shop, id, "rejected", "Oven is broken")).StatusCode);

        await Asserts.CreatedAsync(await PlaceAsync(customer, shop, Order(shop, pickupAt: Noon)));
        await Asserts.ProblemAsync(await PlaceAsync(customer, shop, Order(shop, pickupAt: Noon)), HttpStatusCode.Conflict, "slot-unavailable");
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_auto_rejected_order_gives_its_pickup_slot_back(Store store)
    {
        var clock = MorningClock();
        // The background sweep stays out of the way; the test runs it on the moved clock.
        await using var app = await PlazaApp.StartAsync(store, clock, a => a.Settings["Plaza:Console:SweepSeconds"] = "3600");
        var shop = await CreateAsync(app, OpenEightToSix(slotCapacity: 1)); // accepted within 5 minutes, or rejected
        var customer = app.CreateClient();
        var id = await FillNoonAsync(customer, shop);

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await app.Services.GetServices<IHostedService>().OfType<AutoReject>().Single().SweepAsync(CancellationToken.None));

        Assert.Equal("rejected", (await (await customer.GetAsync($"/api/v1/shops/{shop.Slug}/orders/{id}")).JsonAsync()).GetProperty("status").GetString());
        await Asserts.CreatedAsync(await PlaceAsync(customer, shop, Order(shop, pickupAt: Noon)));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_cancelled_order_gives_its_pickup_slot_and_its_stock_back(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, MorningClock());
        var shop = await CreateAsync(app, OpenEightToSix(slotCapacity: 1));
        var customer = app.CreateClient();
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        var id = await FillNoonAsync(customer, shop, [Line(shop.Bun.Id, 3)]);
        Assert.Equal(7, await Asserts.StockAsync(app, shop.Bun.Id));
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(staff, shop, id, "accepted")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(staff, shop, id, "cancelled", "Customer called to cancel")).StatusCode);

        Assert.Equal(10, await Asserts.StockAsync(app, shop.Bun.Id));
        await Asserts.CreatedAsync(await PlaceAsync(customer, shop, Order(shop, items: [Line(shop.Bun.Id, 10)], pickupAt: Noon)));
    }
}
