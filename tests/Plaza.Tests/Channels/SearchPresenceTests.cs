using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Channels;

/// <summary>What search engines read: the menu's and items' JSON-LD, share tags, the sitemap and robots.txt.</summary>
public sealed class SearchPresenceTests
{
    private static JsonElement JsonLd(string html)
    {
        var script = new HtmlParser().ParseDocument(html).QuerySelectorAll("script[type='application/ld+json']");
        return JsonDocument.Parse(Assert.Single(script).TextContent).RootElement;
    }

    [Fact]
    public async Task The_demo_shops_json_ld_carries_its_name_address_geo_hours_logo_and_every_item_with_its_price()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var client = app.CreateClient();

        var shop = JsonLd(await client.GetStringAsync("/s/demo"));

        Assert.Equal(("https://schema.org", "Restaurant", "Plaza Demo Café"), (shop.GetProperty("@context").GetString(), shop.GetProperty("@type").GetString(), shop.GetProperty("name").GetString()));
        Assert.Equal("Oranienstraße 25, 10999 Berlin", shop.GetProperty("address").GetProperty("streetAddress").GetString());
        Assert.Equal((52.501, 13.419), (shop.GetProperty("geo").GetProperty("latitude").GetDouble(), shop.GetProperty("geo").GetProperty("longitude").GetDouble()));
        Assert.Equal("http://localhost/icons/icon-192.png", shop.GetProperty("logo").GetString());
        Assert.Equal("+49 30 5550 0100", shop.GetProperty("telephone").GetString());
        var hours = shop.GetProperty("openingHoursSpecification").EnumerateArray().ToList();
        Assert.Equal(7, hours.Count);
        Assert.Contains(hours, h => h.GetProperty("dayOfWeek").GetString() == "https://schema.org/Monday" && h.GetProperty("opens").GetString() == "00:00" && h.GetProperty("closes").GetString() == "24:00");
        var items = shop.GetProperty("hasMenu").GetProperty("hasMenuSection").EnumerateArray()
            .SelectMany(s => s.GetProperty("hasMenuItem").EnumerateArray()).ToList();
        var api = await (await client.GetAsync("/api/v1/shops/demo/menu")).JsonAsync();
        var expected = api.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("items").EnumerateArray())
            .Select(i => (i.GetProperty("name").GetString(), (string?)(i.GetProperty("price").GetProperty("amount").GetInt64() / 100m).ToString("F2", System.Globalization.CultureInfo.InvariantCulture), (string?)"EUR")).ToList();
        Assert.True(expected.Count > 5);
        Assert.Equal(expected, items.Select(i => (i.GetProperty("name").GetString(), i.GetProperty("offers").GetProperty("price").GetString(), i.GetProperty("offers").GetProperty("priceCurrency").GetString())));
        Assert.All(items, i => Assert.Matches("^http://localhost/s/demo/items/[0-9]+$", i.GetProperty("url").GetString()));
    }

    [Fact]
    public async Task An_items_page_has_its_share_tags_canonical_address_and_json_ld_and_a_table_page_points_at_the_menu()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app, s => s.Name = "茶馆 <Tea> & Co");
        var client = app.CreateClient();

        var html = await client.GetStringAsync($"/s/{shop.Slug}/items/{shop.Cake.Id}");

        var page = new HtmlParser().ParseDocument(html);
        Assert.Equal($"http://localhost/s/{shop.Slug}/items/{shop.Cake.Id}", page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Equal("Cake · 茶馆 <Tea> & Co", page.QuerySelector("meta[property='og:title']")?.GetAttribute("content"));
        Assert.Equal(["en", "zh-Hans"], page.QuerySelectorAll("link[rel=alternate][hreflang]").Select(l => l.GetAttribute("hreflang")));
        var item = JsonLd(html);
        Assert.Equal(("MenuItem", "Cake", "4.50", "茶馆 <Tea> & Co"), (item.GetProperty("@type").GetString(), item.GetProperty("name").GetString(),
            item.GetProperty("offers").GetProperty("price").GetString(), item.GetProperty("provider").GetProperty("name").GetString()));
        Assert.DoesNotContain("<Tea>", html.Split("application/ld+json")[1].Split("</script>")[0], StringComparison.Ordinal);
        Assert.Equal($"http://localhost/s/{shop.Slug}", new HtmlParser().ParseDocument(await client.GetStringAsync($"/s/{shop.Slug}/t/7"))
            .QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/s/{shop.Slug}/items/{shop.Cake.Id + 100_000}")).StatusCode);
    }

    [Fact]
    public async Task An_item_of_another_shop_has_no_page_under_this_one()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/s/{shop.Slug}/items/{other.Cake.Id}")).StatusCode);
    }

    [Fact]
    public async Task The_sitemap_lists_every_storefront_and_item_page_and_robots_txt_points_at_it()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:PublicUrl"] = "https://plaza.example");
        var shop = await CreateAsync(app);
        var client = app.CreateClient();

        var sitemap = XDocument.Parse(await client.GetStringAsync("/sitemap.xml"));
        var robots = await client.GetStringAsync("/robots.txt");

        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var urls = sitemap.Descendants(ns + "loc").Select(l => l.Value).ToList();
        Assert.Contains("https://plaza.example/s/demo", urls);
        Assert.Contains($"https://plaza.example/s/{shop.Slug}", urls);
        Assert.Contains($"https://plaza.example/s/{shop.Slug}/items/{shop.Cake.Id}", urls);
        foreach (var url in urls.Where(u => u.Contains($"/s/{shop.Slug}/items/", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(url).PathAndQuery)).StatusCode);
        }
        Assert.Contains("Sitemap: https://plaza.example/sitemap.xml", robots, StringComparison.Ordinal);
        Assert.Contains("Disallow: /console/", robots, StringComparison.Ordinal);
    }
}
