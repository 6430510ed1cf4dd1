using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>The tests share a node per store (<see cref="SharedNodes"/>), each with shops and accounts of its own.</summary>
public sealed class TaxesTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    /// <summary>The test shop's two rates as stored (food 7 % default, drinks 19 %), then the empty row for a new one.</summary>
    private static async Task<Dictionary<string, string>> FormAsync(PlazaApp app, TestShop shop, string food = "7", string drinks = "19", int defaultRow = 0,
        string newName = "", string newCode = "", string newRate = "", bool pricesIncludeTax = true, string delivery = "")
    {
        var ids = await app.WithDb(null, db => db.Set<TaxRate>().Where(r => r.ShopId == shop.Shop.Id).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync());
        var form = new Dictionary<string, string>
        {
            ["Form.Rates[0].Id"] = $"{ids[0]}",
            ["Form.Rates[0].Name"] = "Food",
            ["Form.Rates[0].Rate"] = food,
            ["Form.Rates[1].Id"] = $"{ids[1]}",
            ["Form.Rates[1].Name"] = "Drinks",
            ["Form.Rates[1].Rate"] = drinks,
            ["Form.Rates[2].Id"] = "0",
            ["Form.Rates[2].Name"] = newName,
            ["Form.Rates[2].Code"] = newCode,
            ["Form.Rates[2].Rate"] = newRate,
            ["Form.Default"] = $"{defaultRow}",
            ["Form.DeliveryTaxCategory"] = delivery,
        };
        if (pricesIncludeTax)
        {
            form["Form.PricesIncludeTax"] = "true";
        }
        return form;
    }

    private static Task<List<TaxRate>> RatesAsync(PlazaApp app, TestShop shop) =>
        app.WithDb(null, db => db.Set<TaxRate>().AsNoTracking().Where(r => r.ShopId == shop.Shop.Id).OrderBy(r => r.Id).ToListAsync());

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_changed_rate_typed_in_full_width_shows_in_the_next_orders_tax(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/taxes";
        // Cake 4.50 under food, prices including tax: 7 % of it is 0.29 (4.50 × 7 / 107).
        var first = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop, items: [Line(shop.Cake.Id, 10)])));
        Assert.Equal(294, first.GetProperty("tax").GetProperty("amount").GetInt64());

        var saved = await owner.PostFormAsync(page, await FormAsync(app, shop, food: " ７．５％ "), await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(750, (await RatesAsync(app, shop))[0].BasisPoints);
        // 45.00 × 7.5 / 107.5 = 3.14
        var next = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop, items: [Line(shop.Cake.Id, 10)])));
        Assert.Equal(314, next.GetProperty("tax").GetProperty("amount").GetInt64());
        Assert.Contains("value=\"7.5\"", await owner.Client.GetStringAsync(page), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_added_rate_made_default_is_what_new_items_get_and_tax_can_be_added_at_checkout(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/taxes";

        var saved = await owner.PostFormAsync(page,
            await FormAsync(app, shop, defaultRow: 2, newName: "Takeaway", newCode: "Takeaway", newRate: "5 %", pricesIncludeTax: false, delivery: "drinks"),
            await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var rates = await RatesAsync(app, shop);
        Assert.Equal([("food", 700, false), ("drinks", 1900, false), ("takeaway", 500, true)], rates.Select(r => (r.Code, r.BasisPoints, r.IsDefault)));
        var stored = await app.WithDb(null, db => db.Shops.AsNoTracking().SingleAsync(s => s.Id == shop.Shop.Id));
        Assert.Equal((false, "drinks"), (stored.PricesIncludeTax, stored.DeliveryTaxCategory));
        Assert.Matches("<option value=\"takeaway\" selected=\"selected\">", await owner.Client.GetStringAsync($"/console/{shop.Slug}/menu/items/new"));
        // Tax added on top now: 4.50 + 7 % = 4.82.
        var order = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)));
        Assert.Equal((32L, 482L), (order.GetProperty("tax").GetProperty("amount").GetInt64(), order.GetProperty("total").GetProperty("amount").GetInt64()));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Bad_rates_codes_or_no_default_are_refused_with_the_field_marked_and_nothing_changes(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/taxes";
        var before = await RatesAsync(app, shop);

        foreach (var (form, message) in new[]
        {
            (await FormAsync(app, shop, food: "seven", newName: "Takeaway", newCode: "takeaway", newRate: "5"), "A rate is a percentage"),
            (await FormAsync(app, shop, drinks: "101"), "A rate is a percentage"),
            (await FormAsync(app, shop, food: "7.125"), "A rate is a percentage"),
            (await FormAsync(app, shop, newName: "Again", newCode: "drinks", newRate: "5"), "Another rate has that code"),
            (await FormAsync(app, shop, newName: "Spaces", newCode: "take away", newRate: "5"), "A code is 1–32 small letters"),
            (await FormAsync(app, shop, defaultRow: 2), "Mark one rate as the default"),
            (await FormAsync(app, shop, delivery: "wine"), "Choose one of the shop's rates"),
        })
        {
            var refused = await owner.PostFormAsync(page, form, await owner.TokenAsync(page));

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, System.Net.WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }
        Assert.Equal(before.Select(r => (r.Code, r.Name, r.BasisPoints, r.IsDefault)), (await RatesAsync(app, shop)).Select(r => (r.Code, r.Name, r.BasisPoints, r.IsDefault)));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_rate_items_use_is_only_deleted_by_moving_them_to_the_default_and_the_default_never(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/taxes";
        var rates = await RatesAsync(app, shop);
        var (food, drinks) = (rates.Single(r => r.Code == "food"), rates.Single(r => r.Code == "drinks"));

        var inUse = await owner.PostFormAsync($"{page}?handler=Delete&id={drinks.Id}", [], await owner.TokenAsync(page));
        var isDefault = await owner.PostFormAsync($"{page}?handler=Delete&id={food.Id}", new() { ["moveItems"] = "true" }, await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        Assert.Contains("Items use this rate", await inUse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, isDefault.StatusCode);
        Assert.Equal(2, (await RatesAsync(app, shop)).Count);
        Assert.Equal("drinks", await app.WithDb(shop.Shop, db => db.Items.Where(i => i.Id == shop.Coffee.Id).Select(i => i.TaxCategory).SingleAsync()));

        var moved = await owner.PostFormAsync($"{page}?handler=Delete&id={drinks.Id}", new() { ["moveItems"] = "true" }, await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal(["food"], (await RatesAsync(app, shop)).Select(r => r.Code));
        Assert.Equal("food", await app.WithDb(shop.Shop, db => db.Items.Where(i => i.Id == shop.Coffee.Id).Select(i => i.TaxCategory).SingleAsync()));
        // Coffee 3.00 is taxed at 7 % now: 0.20 of it.
        var order = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop, items: [Line(shop.Coffee.Id, 1, shop.Size.Options[0].Id)])));
        Assert.Equal(20, order.GetProperty("tax").GetProperty("amount").GetInt64());
    }
}
