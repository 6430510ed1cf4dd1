using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>
/// The storefront and ordering read a shop's catalog from memory. Each change below is made the
/// way a process that knows nothing of that memory would make it — straight SQL through another
/// DbContext — so a customer seeing it at the next request proves the cache can't go stale.
/// The tests share a node per store (<see cref="SharedNodes"/>), each on a shop of its own whose
/// catalog the node has not read before; the two-process and clock tests start nodes of their own.
/// </summary>
public sealed class CatalogCacheTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_price_change_shows_on_the_next_menu_and_prices_the_next_order(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();
        Assert.Equal(450, Price(await MenuAsync(client, shop), "Cake"));

        await app.WithDb(shop.Shop, db => db.Items.Where(i => i.Id == shop.Cake.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Price, 520)));

        Assert.Equal(520, Price(await MenuAsync(client, shop), "Cake"));
        var stale = await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id)], expectedTotal: new { amount = 450, currency = "EUR" }));
        await Asserts.ProblemAsync(stale, HttpStatusCode.Conflict, "price-changed");
        var placed = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id)])));
        Assert.Equal(520, placed.GetProperty("total").GetProperty("amount").GetInt64());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Stock_sold_by_orders_shows_as_sold_out_and_stops_the_next_order_before_it_is_written(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();
        Assert.False(Item(await MenuAsync(client, shop), "Bun").GetProperty("soldOut").GetBoolean());

        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Bun.Id, 10)])));

        var bun = Item(await MenuAsync(client, shop), "Bun");
        Assert.True(bun.GetProperty("soldOut").GetBoolean());
        Assert.Equal(0, bun.GetProperty("stock").GetInt32());
        var refused = await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Bun.Id)]));
        var problem = await Asserts.ProblemAsync(refused, HttpStatusCode.Conflict, "sold-out");
        Assert.Contains("sold out", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task New_tables_translations_and_shop_settings_reach_customers_without_a_restart(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var chinese = app.CreateClient();
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/s/{shop.Slug}/t/9")).StatusCode);
        Assert.Equal("Cake", Item(await MenuAsync(chinese, shop), "Cake").GetProperty("name").GetString());
        Assert.False((await MenuAsync(client, shop)).GetProperty("shop").GetProperty("paused").GetBoolean());

        await app.WithDb(shop.Shop, async db =>
        {
            db.Tables.Add(new ShopTable { ShopId = shop.Shop.Id, Code = "9", Name = "Garden 9" });
            db.MenuTranslations.Add(new MenuTranslation { ShopId = shop.Shop.Id, Kind = MenuTextKind.Item, TargetId = shop.Cake.Id, Language = "zh-Hans", Name = "蛋糕" });
            await db.SaveChangesAsync();
            return await db.Shops.Where(s => s.Id == shop.Shop.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.PausedUntil, DateTime.UtcNow.AddMinutes(30)).SetProperty(x => x.Name, "Café Neu"));
        });

        var table = await client.GetAsync($"/s/{shop.Slug}/t/9");
        Assert.Equal(HttpStatusCode.OK, table.StatusCode);
        Assert.Contains("Garden 9", await table.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("蛋糕", Item(await MenuAsync(chinese, shop), "Cake", byId: shop.Cake.Id).GetProperty("name").GetString());
        var menu = await MenuAsync(client, shop);
        Assert.True(menu.GetProperty("shop").GetProperty("paused").GetBoolean());
        Assert.Equal("Café Neu", menu.GetProperty("shop").GetProperty("name").GetString());
        await Asserts.ProblemAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id)])), HttpStatusCode.Conflict, "shop-paused");
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_menu_change_written_by_another_app_process_shows_on_this_one(Store store)
    {
        await using var first = await PlazaApp.StartAsync(store);
        await using var second = await PlazaApp.StartAsync(store, configure: a => a.ShareDatabaseWith(first));
        var shop = await CreateAsync(first);
        var client = first.CreateClient();
        Assert.False(Item(await MenuAsync(client, shop), "Cake").GetProperty("soldOut").GetBoolean());

        await second.WithDb(shop.Shop, db => db.Items.Where(i => i.Id == shop.Cake.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.SoldOut, true)));

        Assert.True(Item(await MenuAsync(client, shop), "Cake").GetProperty("soldOut").GetBoolean());
        await Asserts.ProblemAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id)])), HttpStatusCode.Conflict, "sold-out");
    }

    /// <summary>
    /// The node in an operating-system process of its own, sharing nothing with this one but the SQLite file: a price
    /// written straight into the file shows on the node's very next menu page (already in its memory) and menu. On
    /// SQLite the node skips even its per-request version read while the file's data version is unchanged
    /// (<see cref="Plaza.Data.StoreWrites"/>); this is the test that such a skip never hides another process's write.
    /// </summary>
    [Fact]
    public async Task A_price_written_into_the_file_by_another_os_process_shows_on_the_next_page_and_menu()
    {
        await using var node = NodeProcess.Create(Store.Sqlite);
        await node.StartAsync();
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("€2.20", await PageAsync(client, "/s/demo", "br"), StringComparison.Ordinal);
        }
        var espresso = Item(await MenuAsync(client, "demo"), "Espresso");
        Assert.Equal(220, espresso.GetProperty("price").GetProperty("amount").GetInt32());

        await using (var db = node.OpenStore())
        {
            var id = espresso.GetProperty("id").GetInt32();
            Assert.Equal(1, await db.Items.IgnoreQueryFilters().Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Price, 1234)));
        }

        var page = await PageAsync(client, "/s/demo", "br");
        Assert.Contains("€12.34", page, StringComparison.Ordinal);
        Assert.DoesNotContain("€2.20", page, StringComparison.Ordinal);
        Assert.Equal(1234, Item(await MenuAsync(client, "demo"), "Espresso").GetProperty("price").GetProperty("amount").GetInt32());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_menu_page_served_from_memory_shows_a_price_change_in_every_encoding(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();
        foreach (var encoding in new[] { "br", "gzip", "" })
        {
            Assert.Contains("€4.50", await PageAsync(client, $"/s/{shop.Slug}", encoding), StringComparison.Ordinal);
        }

        await app.WithDb(shop.Shop, db => db.Items.Where(i => i.Id == shop.Cake.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Price, 520)));

        foreach (var encoding in new[] { "br", "gzip", "" })
        {
            var html = await PageAsync(client, $"/s/{shop.Slug}", encoding);
            Assert.Contains("€5.20", html, StringComparison.Ordinal);
            Assert.DoesNotContain("€4.50", html, StringComparison.Ordinal);
            // Kept without the templates' indentation (75 → 42 KB for the demo menu), in every encoding.
            Assert.DoesNotContain("\n ", html, StringComparison.Ordinal);
        }
        // A table's page is its own: the banner names the table.
        Assert.Contains("Table 7", await PageAsync(client, $"/s/{shop.Slug}/t/7", "br"), StringComparison.Ordinal);
        Assert.DoesNotContain("Table 7", await PageAsync(client, $"/s/{shop.Slug}", "br"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_menu_page_and_menu_change_when_a_pause_runs_out_though_nothing_was_written()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, clock);
        var shop = await CreateAsync(app, s => s.PausedUntil = clock.GetUtcNow().UtcDateTime.AddMinutes(30));
        var client = app.CreateClient();
        // Paused, the page says until when (the shop's clock) and offers nothing to add, instead of refusing at checkout.
        var until = NodaTime.Instant.FromDateTimeOffset(clock.GetUtcNow().AddMinutes(30)).InZone(NodaTime.DateTimeZoneProviders.Tzdb[shop.Shop.TimeZone]).ToString("HH:mm", null);
        var paused = await PageAsync(client, $"/s/{shop.Slug}", "br");
        Assert.Contains($"Not taking orders until {until}", paused, StringComparison.Ordinal);
        Assert.DoesNotContain("Add to order", paused, StringComparison.Ordinal);
        Assert.True((await MenuAsync(client, shop)).GetProperty("shop").GetProperty("paused").GetBoolean());

        clock.Advance(TimeSpan.FromMinutes(31));

        // The menu API's JSON is kept per snapshot too; it must not keep the pause either.
        Assert.False((await MenuAsync(client, shop)).GetProperty("shop").GetProperty("paused").GetBoolean());

        var html = await PageAsync(client, $"/s/{shop.Slug}", "br");
        Assert.Contains("Open now", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Not taking orders", html, StringComparison.Ordinal);
        Assert.Contains("Add to order", html, StringComparison.Ordinal);
    }

    private static Task<JsonElement> MenuAsync(HttpClient client, TestShop shop) => MenuAsync(client, shop.Slug);

    private static async Task<JsonElement> MenuAsync(HttpClient client, string slug)
    {
        using var response = await client.GetAsync($"/api/v1/shops/{slug}/menu");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static JsonElement Item(JsonElement menu, string name, int? byId = null) =>
        menu.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("items").EnumerateArray())
            .Single(i => byId is { } id ? i.GetProperty("id").GetInt32() == id : i.GetProperty("name").GetString() == name);

    private static long Price(JsonElement menu, string name) => Item(menu, name).GetProperty("price").GetProperty("amount").GetInt64();
}
