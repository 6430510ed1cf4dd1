using System.Globalization;
using System.Net;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>
/// A refused order stores no Idempotency-Key (decision 0002), so the customer who corrects the cart
/// may send it again under the same key, and a retry of the corrected order gets that order back.
/// </summary>
public sealed class RefusedThenCorrectedTests
{
    /// <summary>Places the corrected order under the key, sends it again, and returns the one order both answers name.</summary>
    private static async Task<Guid> CorrectedOrderIsPlacedOnceAsync(HttpClient client, TestShop shop, object corrected, string key)
    {
        var placed = await Asserts.CreatedAsync(await PlaceAsync(client, shop, corrected, key));
        var replayed = await PlaceAsync(client, shop, corrected, key);

        var again = await Asserts.CreatedAsync(replayed);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(placed.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(placed.GetProperty("number").GetString(), again.GetProperty("number").GetString());
        return placed.GetProperty("id").GetGuid();
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task After_a_sold_out_refusal_the_same_key_places_the_corrected_cart(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();

        var refused = await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Bun.Id, 11)]), "phone-key");
        await Asserts.ProblemAsync(refused, HttpStatusCode.Conflict, "sold-out");

        await CorrectedOrderIsPlacedOnceAsync(client, shop, Order(shop, items: [Line(shop.Bun.Id, 10)]), "phone-key");
        Assert.Equal(1, await Asserts.OrderCountAsync(app));
        Assert.Equal(0, await Asserts.StockAsync(app, shop.Bun.Id));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task After_a_full_slot_refusal_the_same_key_places_the_order_for_another_time(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(DateTimeOffset.Parse("2026-11-30T10:00:00+01:00", CultureInfo.InvariantCulture)));
        var shop = await CreateAsync(app, OpenEightToSix(slotCapacity: 1));
        var client = app.CreateClient();
        var first = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, pickupAt: "2026-11-30T12:00:00+01:00"), "neighbour-key"));

        var refused = await PlaceAsync(client, shop, Order(shop, pickupAt: "2026-11-30T12:00:00+01:00"), "phone-key");
        await Asserts.ProblemAsync(refused, HttpStatusCode.Conflict, "slot-unavailable");

        var placed = await CorrectedOrderIsPlacedOnceAsync(client, shop, Order(shop, pickupAt: "2026-11-30T12:15:00+01:00"), "phone-key");
        Assert.NotEqual(first.GetProperty("id").GetGuid(), placed);
        Assert.Equal(2, await Asserts.OrderCountAsync(app));
    }
}
