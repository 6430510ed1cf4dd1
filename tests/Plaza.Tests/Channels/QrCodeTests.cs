using System.Net;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Channels;

/// <summary>The codes an owner downloads and prints: each scans to the right link on <c>Plaza:PublicUrl</c>.</summary>
public sealed class QrCodeTests
{
    [Fact]
    public async Task Store_and_table_codes_as_png_scan_to_links_on_the_public_url_not_on_the_requests_host()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:PublicUrl"] = "http://noodles.example");
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        owner.Client.DefaultRequestHeaders.Host = "evil.example";
        var codes = $"/console/{shop.Slug}/codes";

        var store = await owner.Client.GetAsync($"{codes}/store/{shop.Slug}?format=png&download=true");
        var table = await owner.Client.GetAsync($"{codes}/table/7?format=png");

        Assert.Equal(("image/png", "image/png"), (store.Content.Headers.ContentType?.MediaType, table.Content.Headers.ContentType?.MediaType));
        Assert.Equal($"{shop.Slug}-store-{shop.Slug}.png", store.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal($"http://noodles.example/s/{shop.Slug}/c/store", QrDecoder.Decode(await store.Content.ReadAsByteArrayAsync()));
        Assert.Equal($"http://noodles.example/s/{shop.Slug}/t/7", QrDecoder.Decode(await table.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task There_is_no_code_for_a_table_another_shop_has_or_a_retired_one()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app, s => s.Name = "Other");
        await app.WithDb(null, async db =>
        {
            db.Tables.Add(new() { ShopId = other.Shop.Id, Code = "only-theirs", Name = "Theirs" });
            db.Tables.Add(new() { ShopId = shop.Shop.Id, Code = "old", Name = "Old", Retired = true });
            return await db.SaveChangesAsync();
        });
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var codes = $"/console/{shop.Slug}/codes";

        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"{codes}/table/7")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"{codes}/table/only-theirs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"{codes}/table/old")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"{codes}/store/{other.Slug}")).StatusCode);
    }

    [Fact]
    public async Task The_console_warns_before_printing_when_the_public_url_is_unset()
    {
        await using var set = await PlazaApp.StartAsync(Store.Sqlite);
        await using var unset = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:PublicUrl"] = null);

        foreach (var (app, warned) in new[] { (set, false), (unset, true) })
        {
            var shop = await CreateAsync(app);
            using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
            var html = await owner.Client.GetStringAsync($"/console/{shop.Slug}/tables");
            Assert.Equal(warned, html.Contains("id=\"public-url-unset\"", StringComparison.Ordinal));
        }
    }
}
