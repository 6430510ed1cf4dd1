using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Channels;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Channels;

/// <summary>
/// Tracked links and share links: each brings its visitor's order to its channel, first touch and last,
/// through a cookie set only on the redirect; a personal link hangs under the channel its sharer came from.
/// </summary>
public sealed class AttributionTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_channel_link_credits_the_order_first_touch_and_last_and_leaves_the_menu_page_cacheable(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var poster = await AddChannelAsync(app, shop, "door-poster");
        var flyer = await AddChannelAsync(app, shop, "flyer-october");
        var customer = Browser(app);

        var followed = await customer.GetAsync($"/s/{shop.Slug}/c/door-poster");
        Assert.Equal(HttpStatusCode.Redirect, followed.StatusCode);
        Assert.Equal($"/s/{shop.Slug}", followed.Headers.Location?.OriginalString);
        Assert.Contains(followed.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Attribution.CookieName(shop.Shop.Id) + "=", StringComparison.Ordinal));
        // The menu page itself sets nothing, so it is served from the page cache.
        var menu = await customer.GetAsync($"/s/{shop.Slug}");
        Assert.Equal(HttpStatusCode.OK, menu.StatusCode);
        Assert.False(menu.Headers.Contains("Set-Cookie"));

        var first = await PlacedAsync(app, customer, shop);
        Assert.Equal((poster, poster), first);

        await customer.GetAsync($"/s/{shop.Slug}/c/flyer-october");
        Assert.Equal((poster, flyer), await PlacedAsync(app, customer, shop));
        // A customer who came by no channel is credited to none.
        Assert.Equal((null, null), await PlacedAsync(app, Browser(app), shop));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_table_code_is_a_channel_of_its_own_and_the_last_touch_of_a_dine_in_order(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var poster = await AddChannelAsync(app, shop, "door-poster");
        var customer = Browser(app);

        var atTable = await PlacedAsync(app, customer, shop, "dineIn");
        var table = await ChannelIdAsync(app, shop, ChannelCodes.Table("7"));
        Assert.Equal((table, table), atTable);

        await customer.GetAsync($"/s/{shop.Slug}/c/door-poster");
        Assert.Equal((poster, table), await PlacedAsync(app, customer, shop, "dineIn"));

        // The tracked link of a table leads to the table's page.
        var tracked = await customer.GetAsync($"/s/{shop.Slug}/c/table-7");
        Assert.Equal($"/s/{shop.Slug}/t/7", tracked.Headers.Location?.OriginalString);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_shared_link_credits_its_sharer_under_the_channel_they_came_from_one_generation_deeper(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var poster = await AddChannelAsync(app, shop, "door-poster");
        var mei = Browser(app);
        await mei.GetAsync($"/s/{shop.Slug}/c/door-poster");

        var share = await ShareAsync(mei, shop);
        Assert.Equal(1, share.Depth);
        Assert.Equal($"http://localhost/s/{shop.Slug}/c/{share.Code}", share.Url);
        Assert.Equal(share, await ShareAsync(mei, shop)); // one personal link per customer, however often they tap

        // Mei opening her own link does not refer her to herself.
        await mei.GetAsync(new Uri(share.Url).PathAndQuery);
        Assert.Equal((poster, poster), await PlacedAsync(app, mei, shop));

        var li = Browser(app);
        await li.GetAsync(new Uri(share.Url).PathAndQuery);
        var meisLink = await ChannelIdAsync(app, shop, share.Code);
        Assert.Equal((meisLink, meisLink), await PlacedAsync(app, li, shop));

        var lisShare = await ShareAsync(li, shop);
        Assert.Equal(2, lisShare.Depth);
        var rows = await app.WithDb(shop.Shop, db => db.Channels.Where(c => c.Kind == ChannelKind.Share).OrderBy(c => c.Depth)
            .Select(c => new { c.ParentId, c.RootId, c.Depth }).ToListAsync());
        Assert.Equal([new { ParentId = (int?)poster, RootId = (int?)poster, Depth = 1 }, new { ParentId = (int?)meisLink, RootId = (int?)poster, Depth = 2 }], rows);
    }

    [Fact]
    public async Task A_share_poster_carries_the_code_of_the_customers_own_link_to_the_item()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app, s => s.Name = "兰州拉面 Lanzhou Noodles");
        var customer = Browser(app);
        var share = await ShareAsync(customer, shop);

        var poster = await customer.GetAsync($"/s/{shop.Slug}/c/{share.Code}/poster.png?item={shop.Cake.Id}");

        Assert.Equal("image/png", poster.Content.Headers.ContentType?.MediaType);
        var png = await poster.Content.ReadAsByteArrayAsync();
        using (var bitmap = SkiaSharp.SKBitmap.Decode(png))
        {
            Assert.Equal((SharePoster.Width, SharePoster.Height), (bitmap.Width, bitmap.Height));
            // The shop's name is written in white on the band at the top: a poster without its text has none.
            var written = Enumerable.Range(0, SharePoster.Width).SelectMany(x => Enumerable.Range(40, 80).Select(y => bitmap.GetPixel(x, y)))
                .Count(p => p.Red > 200 && p.Green > 200 && p.Blue > 200);
            Assert.True(written > 500, $"Only {written} white pixels on the title band.");
        }
        Assert.Equal($"{share.Url}?item={shop.Cake.Id}", QrDecoder.Decode(png));
        // The shop's own poster (no item) leads to the storefront; a code the shop never made has no poster.
        Assert.Equal(share.Url, QrDecoder.Decode(await customer.GetByteArrayAsync($"/s/{shop.Slug}/c/{share.Code}/poster.png")));
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/s/{shop.Slug}/c/s-nosuchone/poster.png")).StatusCode);
    }

    [Fact]
    public async Task A_cookie_naming_another_shops_channel_credits_nothing()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);
        var theirs = await AddChannelAsync(app, other, "their-poster");
        var customer = Browser(app);
        customer.DefaultRequestHeaders.Add("Cookie", $"{Attribution.CookieName(shop.Shop.Id)}={theirs}.{theirs}.");

        Assert.Equal((null, null), await PlacedAsync(app, customer, shop));
    }

    [Fact]
    public async Task An_unknown_code_still_reaches_the_shop_but_is_neither_remembered_nor_made()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var customer = Browser(app);

        var followed = await customer.GetAsync($"/s/{shop.Slug}/c/no-such-poster?item={shop.Cake.Id}");

        Assert.Equal($"/s/{shop.Slug}/items/{shop.Cake.Id}", followed.Headers.Location?.OriginalString);
        Assert.False(followed.Headers.Contains("Set-Cookie"));
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Channels.CountAsync()));
        // Nor does a code that names a table the shop does not have.
        await customer.GetAsync($"/s/{shop.Slug}/c/table-99");
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Channels.CountAsync()));
    }

    [Fact]
    public async Task Visits_are_counted_in_memory_and_written_in_one_batch()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:Channels:FlushSeconds"] = "3600");
        var shop = await CreateAsync(app);
        await AddChannelAsync(app, shop, "door-poster");
        var customer = Browser(app);
        for (var i = 0; i < 5; i++)
        {
            await customer.GetAsync($"/s/{shop.Slug}/c/door-poster");
            await customer.GetAsync($"/s/{shop.Slug}/t/7");
        }
        await customer.GetAsync($"/s/{shop.Slug}/c/store");

        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.ChannelVisits.CountAsync()));
        Assert.Equal(11, await app.Services.GetRequiredService<ChannelVisits>().FlushAsync(CancellationToken.None));

        var visits = await app.WithDb(shop.Shop, db => db.ChannelVisits.Join(db.Channels, v => v.ChannelId, c => c.Id, (v, c) => new { c.Code, v.Count })
            .OrderBy(v => v.Code).ToListAsync());
        Assert.Equal([new { Code = "door-poster", Count = 5L }, new { Code = "store", Count = 1L }, new { Code = "table-7", Count = 5L }], visits);
    }

    private static HttpClient Browser(PlazaApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<int> AddChannelAsync(PlazaApp app, TestShop shop, string code) =>
        await app.WithDb(shop.Shop, async db =>
        {
            var channel = new Channel { ShopId = shop.Shop.Id, Kind = ChannelKind.Named, Code = code, Name = code, CreatedAt = DateTime.UtcNow };
            db.Channels.Add(channel);
            await db.SaveChangesAsync();
            return channel.Id;
        });

    private static Task<int> ChannelIdAsync(PlazaApp app, TestShop shop, string code) =>
        app.WithDb(shop.Shop, db => db.Channels.Where(c => c.Code == code).Select(c => c.Id).SingleAsync());

    private static async Task<TrackedLinks.ShareResponse> ShareAsync(HttpClient customer, TestShop shop)
    {
        var response = await customer.PostAsync($"/s/{shop.Slug}/share", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TrackedLinks.ShareResponse>())!;
    }

    /// <summary>Places an order as this browser and reads the channels it was credited to.</summary>
    private static async Task<(int? First, int? Last)> PlacedAsync(PlazaApp app, HttpClient customer, TestShop shop, string type = "pickup")
    {
        var placed = await PlaceAsync(customer, shop, Order(shop, type));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var id = (await placed.JsonAsync()).GetProperty("id").GetGuid();
        return await app.WithDb(shop.Shop, async db =>
        {
            var order = await db.Orders.SingleAsync(o => o.Id == id);
            return (order.FirstChannelId, order.LastChannelId);
        });
    }
}
