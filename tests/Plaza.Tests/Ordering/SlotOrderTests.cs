using System.Net;
using Plaza.Features.Catalog;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>Orders for a later time, through the API, on both stores.</summary>
public sealed class SlotOrderTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_full_slot_is_refused_and_the_next_one_is_taken(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(DateTimeOffset.Parse("2026-11-30T10:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture)));
        var shop = await CreateAsync(app, OpenEightToSix(slotCapacity: 1));
        var client = app.CreateClient();

        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, pickupAt: "2026-11-30T12:00:00+01:00")));
        var full = await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Bun.Id)], pickupAt: "2026-11-30T12:00:00+01:00"));

        Asserts.HasFieldError(await Asserts.ProblemAsync(full, HttpStatusCode.Conflict, "slot-unavailable"), "pickupAt");
        Assert.Equal(1, await Asserts.OrderCountAsync(app));
        Assert.Equal(10, await Asserts.StockAsync(app, shop.Bun.Id));
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, pickupAt: "2026-11-30T12:15:00+01:00")));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Times_in_the_past_inside_the_lead_time_off_the_grid_or_after_closing_are_refused(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(DateTimeOffset.Parse("2026-11-30T10:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture)));
        var shop = await CreateAsync(app, OpenEightToSix(slotCapacity: 1));
        var client = app.CreateClient();

        foreach (var when in new[] { "2026-11-30T09:30:00+01:00", "2026-11-30T10:00:00+01:00", "2026-11-30T10:07:00+01:00", "2026-11-30T18:00:00+01:00", "2026-11-30T19:00:00+01:00" })
        {
            var response = await PlaceAsync(client, shop, Order(shop, pickupAt: when));
            Asserts.HasFieldError(await Asserts.ProblemAsync(response, HttpStatusCode.Conflict, "slot-unavailable"), "pickupAt");
        }
        Assert.Equal(0, await Asserts.OrderCountAsync(app));
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, pickupAt: "2026-11-30T17:45:00+01:00")));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task On_the_fall_back_day_both_occurrences_of_the_repeated_hour_can_be_booked(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(DateTimeOffset.Parse("2026-10-25T00:30:00+02:00", System.Globalization.CultureInfo.InvariantCulture)));
        var shop = await CreateAsync(app, s =>
        {
            s.OpeningHours = [new OpeningRange { Day = DayOfWeek.Sunday, Opens = 60, Closes = 4 * 60 }];
            s.SlotCapacity = 1;
            s.SlotMinutes = 30;
        });
        var client = app.CreateClient();

        var first = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, pickupAt: "2026-10-25T02:30:00+02:00")));
        var second = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, pickupAt: "2026-10-25T02:30:00+01:00")));

        Assert.Equal(DateTimeOffset.Parse("2026-10-25T00:30:00Z", System.Globalization.CultureInfo.InvariantCulture), first.GetProperty("pickupAt").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2026-10-25T01:30:00Z", System.Globalization.CultureInfo.InvariantCulture), second.GetProperty("pickupAt").GetDateTimeOffset());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task On_the_spring_forward_day_the_hour_after_the_gap_can_be_booked(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(DateTimeOffset.Parse("2026-03-29T00:10:00+01:00", System.Globalization.CultureInfo.InvariantCulture)));
        var shop = await CreateAsync(app, s =>
        {
            s.OpeningHours = [new OpeningRange { Day = DayOfWeek.Sunday, Opens = 0, Closes = 6 * 60 }];
            s.SlotMinutes = 30;
        });
        var client = app.CreateClient();

        var slots = await (await client.GetAsync($"/api/v1/shops/{shop.Slug}/slots")).JsonAsync();
        var times = slots.EnumerateArray().Select(s => s.GetProperty("localTime").GetString()).ToList();
        Assert.DoesNotContain(times, t => t!.StartsWith("02:", StringComparison.Ordinal));
        Assert.Equal(["00:30", "01:00", "01:30", "03:00"], times.Take(4));

        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, pickupAt: "2026-03-29T03:00:00+02:00")));
    }
}
