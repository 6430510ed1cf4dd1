using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Plaza.Features.Catalog;

namespace Plaza.Tests.Infrastructure;

/// <summary>A shop a test makes for itself, with a small menu whose ids the test can use.</summary>
public sealed record TestShop(Shop Shop, Item Coffee, OptionGroup Size, Option Large, OptionGroup Extras, Option Shot, Option Syrup, Item Cake, Item Bun, ShopTable Table)
{
    public string Slug => Shop.Slug;
}

public static class TestShops
{
    /// <summary>
    /// Creates a shop open around the clock (unless <paramref name="configure"/> says otherwise) with:
    /// Coffee 3.00 (drinks, 19 %) with Size (choose 1: Regular +0, Large +0.60) and Extras (0–2: shot +0.70, syrup +0.40);
    /// Cake 4.50 (food, 7 %); Bun 3.50 (food) with a stock count of 10; table "7".
    /// </summary>
    public static async Task<TestShop> CreateAsync(PlazaApp app, Action<Shop>? configure = null)
    {
        var shop = DemoShop.Build();
        shop.Slug = "t" + Guid.NewGuid().ToString("N")[..10];
        shop.Name = "Test café";
        // A test shop's profile starts empty; the demo's phone, cuisine and logo are the demo's.
        (shop.Phone, shop.Cuisine, shop.LogoUrl) = ("", "", null);
        shop.SlotCapacity = 100;
        configure?.Invoke(shop);
        return await app.WithDb(null, async db =>
        {
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
            var size = new OptionGroup
            {
                ShopId = shop.Id,
                Name = "Size",
                MinSelect = 1,
                MaxSelect = 1,
                Position = 0,
                Options = [new() { ShopId = shop.Id, Name = "Regular", Position = 0 }, new() { ShopId = shop.Id, Name = "Large", PriceDelta = 60, Position = 1 }],
            };
            var extras = new OptionGroup
            {
                ShopId = shop.Id,
                Name = "Extras",
                MinSelect = 0,
                MaxSelect = 2,
                Position = 1,
                Options =
                [
                    new() { ShopId = shop.Id, Name = "Extra shot", PriceDelta = 70, Position = 0 },
                    new() { ShopId = shop.Id, Name = "Syrup", PriceDelta = 40, Position = 1 },
                    new() { ShopId = shop.Id, Name = "Cream", PriceDelta = 30, Position = 2 },
                ],
            };
            var coffee = new Item { ShopId = shop.Id, Name = "Coffee", Price = 300, TaxCategory = "drinks", OptionGroups = [size, extras] };
            var cake = new Item { ShopId = shop.Id, Name = "Cake", Price = 450, TaxCategory = "food", Position = 1 };
            var bun = new Item { ShopId = shop.Id, Name = "Bun", Price = 350, TaxCategory = "food", Stock = 10, Position = 2 };
            db.Categories.Add(new Category { ShopId = shop.Id, Name = "All", Items = [coffee, cake, bun] });
            var table = new ShopTable { ShopId = shop.Id, Code = "7", Name = "Table 7" };
            db.Tables.Add(table);
            await db.SaveChangesAsync();
            return new TestShop(shop, coffee, size, size.Options[1], extras, extras.Options[0], extras.Options[1], cake, bun, table);
        });
    }

    /// <summary>Open 8:00–18:00 every day, taking <paramref name="slotCapacity"/> orders per pickup slot.</summary>
    public static Action<Shop> OpenEightToSix(int slotCapacity) => shop =>
    {
        shop.OpeningHours = [.. Enum.GetValues<DayOfWeek>().Select(d => new OpeningRange { Day = d, Opens = 8 * 60, Closes = 18 * 60 })];
        shop.SlotCapacity = slotCapacity;
    };

    public static object Order(TestShop shop, string type = "pickup", object[]? items = null, string? pickupAt = null, string? table = null, object? expectedTotal = null, object? address = null, object? tip = null) => new
    {
        type,
        table = table ?? (type == "dineIn" ? shop.Table.Code : null),
        pickupAt,
        address,
        items = items ?? [Line(shop.Cake.Id)],
        customer = new { name = "Mei", phone = "+49 30 1234567" },
        note = "No rush",
        expectedTotal,
        tip,
    };

    public static object Line(int itemId, int quantity = 1, params int[] optionIds) => new { itemId, quantity, optionIds };

    public static async Task<HttpResponseMessage> PlaceAsync(HttpClient client, TestShop shop, object order, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/shops/{shop.Slug}/orders") { Content = JsonContent.Create(order) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>The page as a browser asking for <paramref name="encoding"/> gets it, decoded by hand so the encoding itself is checked.</summary>
    public static async Task<string> PageAsync(HttpClient client, string path, string encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (encoding.Length > 0)
        {
            request.Headers.AcceptEncoding.ParseAdd(encoding);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(encoding.Length > 0 ? [encoding] : [], response.Content.Headers.ContentEncoding);
        await using var body = await response.Content.ReadAsStreamAsync();
        await using Stream decoded = encoding switch
        {
            "br" => new System.IO.Compression.BrotliStream(body, System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress),
            _ => body,
        };
        using var reader = new StreamReader(decoded);
        return await reader.ReadToEndAsync();
    }
}
