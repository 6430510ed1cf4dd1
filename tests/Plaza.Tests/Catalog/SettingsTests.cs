using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

public sealed class SettingsTests
{
    internal static Dictionary<string, string> Form(string timeZone = "Asia/Shanghai", string monday = "07:00-11:00, 12:00-22:00", string friday = "18:00-02:00") => new()
    {
        ["Form.Currency"] = "CNY",
        ["Form.TimeZone"] = timeZone,
        ["Form.DefaultLanguage"] = "zh-Hans",
        ["Form.AcceptsPickup"] = "true",
        ["Form.DeliveryRadiusKm"] = "2.5",
        ["Form.DeliveryFee"] = "5.00",
        ["Form.DeliveryMinimum"] = "30.00",
        ["Form.LeadTimeMinutes"] = "20",
        ["Form.SlotMinutes"] = "30",
        ["Form.SlotCapacity"] = "4",
        ["Form.AcceptWithinMinutes"] = "8",
        ["Form.Commission"] = "25",
        ["Form.Hours[0]"] = monday,
        ["Form.Hours[1]"] = "",
        ["Form.Hours[2]"] = "",
        ["Form.Hours[3]"] = "",
        ["Form.Hours[4]"] = friday,
        ["Form.Hours[5]"] = "",
        ["Form.Hours[6]"] = "",
    };

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_changes_the_shops_hours_and_ordering_rules(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/settings";

        var saved = await owner.PostFormAsync(page, Form(), await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await app.WithDb(null, db => db.Shops.Include(s => s.OpeningHours).SingleAsync(s => s.Id == shop.Shop.Id));
        Assert.Equal(("CNY", "Asia/Shanghai", "zh-Hans"), (stored.Currency, stored.TimeZone, stored.DefaultLanguage));
        Assert.Equal((2500, 500L, 3000L, 8), (stored.DeliveryRadiusMeters, stored.DeliveryFee, stored.DeliveryMinimum, stored.AcceptWithinMinutes));
        Assert.False(stored.AcceptsDineIn);
        Assert.False(stored.AcceptsDelivery);
        Assert.Equal(
            [(DayOfWeek.Monday, 420, 660), (DayOfWeek.Monday, 720, 1320), (DayOfWeek.Friday, 1080, 1560)],
            stored.OpeningHours.OrderBy(r => r.Day == DayOfWeek.Monday ? 0 : 1).ThenBy(r => r.Opens).Select(r => (r.Day, r.Opens, r.Closes)));
        Assert.Contains("07:00-11:00, 12:00-22:00", await owner.Client.GetStringAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_time_zones_and_malformed_hours_are_refused_and_nothing_is_saved()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/settings";

        var refused = await owner.PostFormAsync(page, Form(timeZone: "Mars/Olympus", monday: "9 till late"), await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("IANA time zone", html, StringComparison.Ordinal);
        Assert.Contains("should look like 07:00-22:00", html, StringComparison.Ordinal);
        var stored = await app.WithDb(null, db => db.Shops.Include(s => s.OpeningHours).SingleAsync(s => s.Id == shop.Shop.Id));
        Assert.Equal(("Test café", "EUR", 7), (stored.Name, stored.Currency, stored.OpeningHours.Count));
    }
}
