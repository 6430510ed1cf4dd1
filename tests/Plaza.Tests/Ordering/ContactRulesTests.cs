using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Tests.Catalog;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>
/// What a customer must give at checkout: at a table nothing (the table says where the order goes), for pickup and
/// delivery a name and a phone; the owner can ask more at the table or only a phone away from it, never nothing.
/// </summary>
public sealed class ContactRulesTests
{
    private static object Without(TestShop shop, string type, object? customer) => new
    {
        type,
        table = type == "dineIn" ? shop.Table.Code : null,
        items = new[] { Line(shop.Cake.Id) },
        customer,
    };

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_table_order_needs_no_name_or_phone_a_pickup_needs_both_and_the_owner_can_change_either(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();

        // At the table: nothing at all, or empty strings, is enough; what is given is still checked.
        var seated = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Without(shop, "dineIn", null)));
        Assert.Equal("", seated.GetProperty("customerName").GetString());
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Without(shop, "dineIn", new { name = "", phone = "" })));
        var badPhone = await Asserts.ProblemAsync(await PlaceAsync(client, shop, Without(shop, "dineIn", new { phone = "call me" })), HttpStatusCode.BadRequest, "invalid-request");
        Asserts.HasFieldError(badPhone, "customer.phone");

        // Pickup: a name and a phone, as before.
        var pickup = await Asserts.ProblemAsync(await PlaceAsync(client, shop, Without(shop, "pickup", null)), HttpStatusCode.BadRequest, "invalid-request");
        Asserts.HasFieldError(pickup, "customer.name");
        Asserts.HasFieldError(pickup, "customer.phone");
        Assert.Equal(2, await Asserts.OrderCountAsync(app));

        // The owner asks for a phone at the table and only a phone for pickup.
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/settings";
        var form = SettingsTests.Form();
        form["Form.AcceptsDineIn"] = "true";
        for (var day = 0; day < 7; day++)
        {
            form[$"Form.Hours[{day}]"] = "00:00-24:00";
        }
        form["Form.ContactAtTable"] = "Phone";
        form["Form.ContactAway"] = "Phone";
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync(page, form, await owner.TokenAsync(page))).StatusCode);

        var table = await Asserts.ProblemAsync(await PlaceAsync(client, shop, Without(shop, "dineIn", null)), HttpStatusCode.BadRequest, "invalid-request");
        Asserts.HasFieldError(table, "customer.phone");
        Assert.False(table.GetProperty("errors").TryGetProperty("customer.name", out _));
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Without(shop, "dineIn", new { phone = "１３８ ００１３ ８０００" })));
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Without(shop, "pickup", new { phone = "13800138000" })));

        // Nothing at all for pickup is not a choice: the shop could not call about the order.
        form["Form.ContactAway"] = "Nothing";
        var refused = await owner.PostFormAsync(page, form, await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("自取和外送订单至少需要手机号", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Id == shop.Shop.Id));
        Assert.Equal((ContactAsk.Phone, ContactAsk.Phone), (stored.ContactAtTable, stored.ContactAway));
    }
}
