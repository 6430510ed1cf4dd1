using System.Net;
using System.Net.Http.Json;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>The tests share a node per store (<see cref="SharedNodes"/>), each on shops of its own.</summary>
public sealed class PlaceOrderTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Options_add_their_price_to_the_line_and_the_total(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();

        var order = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items:
        [
            Line(shop.Coffee.Id, 2, shop.Large.Id, shop.Shot.Id, shop.Syrup.Id), // (3.00 + 0.60 + 0.70 + 0.40) × 2 = 9.40
            Line(shop.Cake.Id, 1),                                               // 4.50
        ])));

        Assert.Equal(1390, order.GetProperty("total").GetProperty("amount").GetInt64());
        Assert.Equal("EUR", order.GetProperty("total").GetProperty("currency").GetString());
        var coffee = order.GetProperty("lines")[0];
        Assert.Equal(470, coffee.GetProperty("unitPrice").GetProperty("amount").GetInt64());
        Assert.Equal("Large, Extra shot, Syrup", coffee.GetProperty("options").GetString());
        Assert.Equal("placed", order.GetProperty("status").GetString());
        Assert.Matches("^A-\\d{3}$", order.GetProperty("number").GetString());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Tax_inclusive_prices_show_the_tax_contained_per_rate(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);

        var order = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop, items:
            [Line(shop.Coffee.Id, 1, shop.Size.Options[0].Id), Line(shop.Cake.Id, 3)])));

        // Drinks 3.00 at 19 %: 300 × 19/119 = 47.899 → 48. Food 13.50 at 7 %: 1350 × 7/107 = 88.317 → 88.
        var taxes = order.GetProperty("taxes");
        Assert.Equal(2, taxes.GetArrayLength());
        Assert.Equal(7m, taxes[0].GetProperty("ratePercent").GetDecimal());
        Assert.Equal(88, taxes[0].GetProperty("tax").GetProperty("amount").GetInt64());
        Assert.Equal(19m, taxes[1].GetProperty("ratePercent").GetDecimal());
        Assert.Equal(48, taxes[1].GetProperty("tax").GetProperty("amount").GetInt64());
        Assert.Equal(136, order.GetProperty("tax").GetProperty("amount").GetInt64());
        Assert.Equal(1650, order.GetProperty("total").GetProperty("amount").GetInt64()); // tax is inside the prices
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Tax_exclusive_prices_add_the_tax_per_rate_rounded_half_away_from_zero(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app, s =>
        {
            s.Currency = "USD";
            s.PricesIncludeTax = false;
            s.TaxRates = [new() { Code = "food", Name = "Sales tax", BasisPoints = 875 }, new() { Code = "drinks", Name = "Drinks", BasisPoints = 1000 }];
        });

        var order = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop, items:
            [Line(shop.Cake.Id, 2), Line(shop.Coffee.Id, 1, shop.Size.Options[0].Id)])));

        // Food 9.00 × 8.75 % = 78.75 → 79 (half away from zero); drinks 3.00 × 10 % = 30.
        Assert.Equal(79, order.GetProperty("taxes")[0].GetProperty("tax").GetProperty("amount").GetInt64());
        Assert.Equal(30, order.GetProperty("taxes")[1].GetProperty("tax").GetProperty("amount").GetInt64());
        Assert.Equal(1200 + 109, order.GetProperty("total").GetProperty("amount").GetInt64());
        Assert.Equal("USD", order.GetProperty("total").GetProperty("currency").GetString());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Delivery_adds_its_fee_and_a_tip_and_taxes_the_fee(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var nearby = new { text = "Skalitzer Str. 1", latitude = 52.4995, longitude = 13.4180 };

        var order = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop,
            Order(shop, "delivery", [Line(shop.Cake.Id, 3)], address: nearby, tip: new { percent = 10 })));

        Assert.Equal(250, order.GetProperty("deliveryFee").GetProperty("amount").GetInt64());
        Assert.Equal(135, order.GetProperty("tip").GetProperty("amount").GetInt64());
        Assert.Equal(1350 + 250 + 135, order.GetProperty("total").GetProperty("amount").GetInt64());
        // Food base includes the fee: 16.00 × 7/107 = 104.67 → 105.
        Assert.Equal(105, order.GetProperty("taxes")[0].GetProperty("tax").GetProperty("amount").GetInt64());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Order_numbers_count_up_per_shop_per_day(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);
        var client = app.CreateClient();

        var first = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)));
        var second = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)));
        var elsewhere = await Asserts.CreatedAsync(await PlaceAsync(client, other, Order(other)));

        Assert.Equal("A-001", first.GetProperty("number").GetString());
        Assert.Equal("A-002", second.GetProperty("number").GetString());
        Assert.Equal("A-001", elsewhere.GetProperty("number").GetString());
        Assert.NotEqual(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_order_can_be_read_back_by_its_id_but_not_through_another_shop(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);
        var client = app.CreateClient();
        var id = (await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop)))).GetProperty("id").GetGuid();

        var read = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/shops/{shop.Slug}/orders/{id}");
        Assert.Equal(id, read.GetProperty("id").GetGuid());
        Assert.Equal("Mei", read.GetProperty("customerName").GetString());

        await Asserts.ProblemAsync(await client.GetAsync($"/api/v1/shops/{other.Slug}/orders/{id}"), HttpStatusCode.NotFound, "not-found");
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_server_prices_a_cart_without_placing_it(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var ordersBefore = await Asserts.OrderCountAsync(app); // in every shop of the node

        var response = await app.CreateClient().PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/quote",
            new { type = "pickup", items = new[] { Line(shop.Coffee.Id, 1, shop.Large.Id) } });

        var quote = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(360, quote.GetProperty("total").GetProperty("amount").GetInt64());
        Assert.Equal(ordersBefore, await Asserts.OrderCountAsync(app));
    }
}
