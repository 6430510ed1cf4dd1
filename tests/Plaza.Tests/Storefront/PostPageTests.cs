using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Storefront;

/// <summary>
/// A promotion's own page, <c>/s/{shop}/posts/{id}</c>: what a shared post shows before it is opened (Open Graph,
/// Twitter card, JSON-LD), where it leads, and what is left when the shop takes it down.
/// </summary>
public sealed partial class PostPageTests
{
    [Fact]
    public async Task A_post_offering_an_item_has_share_tags_with_the_shop_item_price_and_photo_and_orders_through_the_posts_own_link()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await TestShops.CreateAsync(app);
        var other = await TestShops.CreateAsync(app);
        using var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Catalog.ItemImageTests.Png(1600, 1200)) { Headers = { ContentType = new("image/png") } }, "file", "cake.png" } };
        var photo = (await Asserts.CreatedAsync(await owner.PostAsync($"/api/v1/shops/{shop.Slug}/promotions/images", form))).GetProperty("url").GetString()!;
        var created = await Asserts.CreatedAsync(await owner.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/promotions", new
        {
            text = "Cake with cream, only this week.\nCome early: 20 a day.",
            itemId = shop.Cake.Id,
            image = new { url = photo, alt = "A slice of cake" },
        }));
        var id = created.GetProperty("id").GetInt64();
        var page = $"/s/{shop.Slug}/posts/{id}";
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var html = await client.GetStringAsync(page);

        Assert.Equal($"http://localhost{page}", Meta(html, "og:url"));
        Assert.Contains($"<link rel=\"canonical\" href=\"http://localhost{page}\">", html, StringComparison.Ordinal);
        Assert.Contains($"hreflang=\"zh-Hans\" href=\"http://localhost{page}?", html, StringComparison.Ordinal);
        Assert.Equal("Cake · Test café", Meta(html, "og:title"));
        Assert.Equal("Cake with cream, only this week.\nCome early: 20 a day.", WebUtility.HtmlDecode(Meta(html, "og:description")));
        Assert.Equal($"http://localhost{photo}", Meta(html, "og:image"));
        Assert.Equal("summary_large_image", Meta(html, "twitter:card"));
        Assert.Equal(("4.50", "EUR"), (Meta(html, "product:price:amount"), Meta(html, "product:price:currency")));
        using var ld = JsonDocument.Parse(WebUtility.HtmlDecode(JsonLd().Match(html).Groups[1].Value));
        Assert.Equal("SocialMediaPosting", ld.RootElement.GetProperty("@type").GetString());
        Assert.Equal("Test café", ld.RootElement.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("4.50", ld.RootElement.GetProperty("about").GetProperty("offers").GetProperty("price").GetString());
        // "Order this" leads through the post's tracked link, which opens the item.
        var order = OrderNow().Match(html).Groups[1].Value;
        Assert.Equal($"http://localhost/s/{shop.Slug}/c/promo-{id}?item={shop.Cake.Id}", WebUtility.HtmlDecode(order));
        var followed = await client.GetAsync(new Uri(WebUtility.HtmlDecode(order)).PathAndQuery);
        Assert.Equal($"/s/{shop.Slug}/items/{shop.Cake.Id}", followed.Headers.Location?.OriginalString);

        // A browser opening the post's ActivityPub id is sent to this page; the sitemap lists it.
        var note = await client.GetAsync($"/actors/{shop.Slug}/notes/{id}");
        Assert.Equal(HttpStatusCode.Redirect, note.StatusCode);
        Assert.Equal($"http://localhost{page}", note.Headers.Location?.OriginalString);
        Assert.Contains($"<loc>http://localhost{page}</loc>", await client.GetStringAsync("/sitemap.xml"), StringComparison.Ordinal);

        // Another shop's address does not show this shop's post.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/s/{other.Slug}/posts/{id}")).StatusCode);

        // Taken down: 410, no share tags, a way to the menu, gone from the sitemap.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/shops/{shop.Slug}/promotions/{id}")).StatusCode);
        var gone = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        var goneHtml = await gone.Content.ReadAsStringAsync();
        Assert.DoesNotContain("og:title", goneHtml, StringComparison.Ordinal);
        Assert.Contains("The shop took this post down.", goneHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(page, await client.GetStringAsync("/sitemap.xml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_linking_elsewhere_shows_the_link_as_written_marked_nofollow_and_offers_the_menu_in_the_customers_language()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await TestShops.CreateAsync(app);
        using var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));
        var created = await Asserts.CreatedAsync(await owner.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/promotions",
            new { text = "We are in the paper today!", link = "https://news.example/best-cafes" }));
        var page = $"/s/{shop.Slug}/posts/{created.GetProperty("id").GetInt64()}";
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var html = await client.GetStringAsync(page);

        Assert.Contains("<a href=\"https://news.example/best-cafes\" rel=\"nofollow ugc noopener\">", html, StringComparison.Ordinal);
        Assert.Equal($"/s/{shop.Slug}", OrderNow().Match(html).Groups[1].Value);
        Assert.Contains(">查看菜单</a>", html, StringComparison.Ordinal);
        Assert.Equal("Test café", Meta(html, "og:title"));
        Assert.Null(Meta(html, "product:price:amount"));
    }

    private static string? Meta(string html, string name)
    {
        var match = Regex.Match(html, $"<meta (?:property|name)=\"{Regex.Escape(name)}\" content=\"([^\"]*)\">");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("<script type=\"application/ld\\+json\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex JsonLd();

    [GeneratedRegex("href=\"([^\"]*)\" id=\"order-now\"")]
    private static partial Regex OrderNow();
}
