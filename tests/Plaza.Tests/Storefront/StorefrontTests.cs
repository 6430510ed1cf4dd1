using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Storefront;

/// <summary>The tests share a node per store (<see cref="SharedNodes"/>): they read the demo shop, or make shops of their own.</summary>
public sealed partial class StorefrontTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    [Fact]
    public async Task The_menu_page_with_its_css_and_scripts_stays_under_60_KB_compressed()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var (html, htmlBytes) = await CompressedAsync(client, "/s/demo/t/5");
        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();
        var total = htmlBytes;
        foreach (var asset in assets)
        {
            total += (await CompressedAsync(client, asset)).Bytes;
        }

        Assert.Contains(assets, a => a.StartsWith("/css/", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("/js/", StringComparison.Ordinal));
        Assert.DoesNotContain(assets, a => a.StartsWith("http", StringComparison.Ordinal)); // no third-party CDN
        Assert.True(total <= 60 * 1024, $"Menu page weighs {total} bytes compressed (HTML {htmlBytes} + {assets.Count} assets).");
    }

    private static async Task<(string Text, long Bytes)> CompressedAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var encoding = response.Content.Headers.ContentEncoding.SingleOrDefault();
        Assert.Equal("br", encoding);
        using var brotli = new System.IO.Compression.BrotliStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(brotli);
        return (await reader.ReadToEndAsync(), bytes.Length);
    }

    [GeneratedRegex("(?:href|src)=\"(/(?:css|js)/[^\"]+)\"")]
    private static partial Regex AssetReference();

    [Fact]
    public async Task Versioned_assets_are_cached_for_a_year()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var client = app.CreateClient();
        var html = await client.GetStringAsync("/s/demo");
        var css = AssetReference().Matches(html).Select(m => m.Groups[1].Value).First(a => a.StartsWith("/css/", StringComparison.Ordinal));

        var response = await client.GetAsync(css.Replace("&amp;", "&", StringComparison.Ordinal));

        Assert.Contains("?v=", css, StringComparison.Ordinal);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_shop_has_an_installable_web_manifest()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var client = app.CreateClient();

        var response = await client.GetAsync("/s/demo/manifest.webmanifest");
        var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("/s/demo", manifest.GetProperty("start_url").GetString());
        Assert.Equal("standalone", manifest.GetProperty("display").GetString());
        foreach (var icon in manifest.GetProperty("icons").EnumerateArray())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(icon.GetProperty("src").GetString())).StatusCode);
        }
        Assert.Contains(manifest.GetProperty("icons").EnumerateArray(), i => i.GetProperty("sizes").GetString() == "512x512");
    }

    [Fact]
    public async Task Pages_send_a_strict_content_security_policy()
    {
        var app = await nodes.GetAsync(Store.Sqlite);

        var response = await app.CreateClient().GetAsync("/s/demo");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN,zh;q=0.9", "zh-Hans")]
    [InlineData("en-US,en;q=0.9", "en")]
    [InlineData("de-DE,de;q=0.9", "zh-Hans")] // not shipped: the shop's default wins
    public async Task The_browser_language_wins_where_shipped_and_the_shops_default_otherwise(string acceptLanguage, string expected)
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app, s => s.DefaultLanguage = "zh-Hans");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);

        var html = await client.GetStringAsync($"/s/{shop.Slug}");

        Assert.Contains($"<html lang=\"{expected}\">", html, StringComparison.Ordinal);
        Assert.Contains(expected == "en" ? "Open now" : "营业中", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_table_is_not_found()
    {
        var app = await nodes.GetAsync(Store.Sqlite);

        var response = await app.CreateClient().GetAsync("/s/demo/t/404");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Health_and_the_api_description_answer()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/shops/{shop}/orders", out _));
        Assert.True(paths.TryGetProperty("/api/v1/shops/{shop}/menu", out _));
    }

    [Fact]
    public async Task A_placed_order_page_shows_the_number_lines_and_total()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();
        var order = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id, 2)])));

        var html = await client.GetStringAsync($"/s/{shop.Slug}/orders/{order.GetProperty("id").GetGuid()}");

        Assert.Contains(order.GetProperty("number").GetString()!, html, StringComparison.Ordinal);
        Assert.Contains("2 × Cake", html, StringComparison.Ordinal);
        Assert.Contains("€9.00", html, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Another_shops_order_is_not_found_on_this_shops_order_page(Store store)
    {
        var app = await nodes.GetAsync(store);
        var a = await CreateAsync(app);
        var b = await CreateAsync(app, s => s.Name = "The other bakery");
        var client = app.CreateClient();
        var theirs = (await Asserts.CreatedAsync(await PlaceAsync(client, b, Order(b, items: [Line(b.Cake.Id, 2)])))).GetProperty("id").GetGuid();

        var response = await client.GetAsync($"/s/{a.Slug}/orders/{theirs}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Cake", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("2 × Cake", await client.GetStringAsync($"/s/{b.Slug}/orders/{theirs}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_whose_keys_have_unclosed_brackets_is_not_a_server_error_on_any_page_method()
    {
        // Found by the fuzzer: the jQuery-style key reader threw on "a[b", a 500 on OPTIONS /s/{shop}/checkout.
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var client = app.CreateClient();
        foreach (var method in new[] { HttpMethod.Options, HttpMethod.Get })
        {
            using var request = new HttpRequestMessage(method, "/s/demo/checkout?t[x=1")
            {
                Content = new StringContent("{\"type\":\"pickup\",\"items\":[{\"op&a[b=1", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            var response = await client.SendAsync(request);
            Assert.True((int)response.StatusCode < 500, $"{method} answered {(int)response.StatusCode}");
        }
    }
}
