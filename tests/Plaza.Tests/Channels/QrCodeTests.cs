using System.Globalization;
using System.Net;
using Plaza.Features.Catalog;
using Plaza.Features.Channels;
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

    [Fact]
    public async Task A_poster_shows_only_this_shops_own_live_channels_and_tents_only_its_own_tables()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:PublicUrl"] = "http://noodles.example");
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app, s => s.Name = "Other");
        await app.WithDb(null, async db =>
        {
            db.Channels.Add(new() { ShopId = shop.Shop.Id, Kind = ChannelKind.Named, Code = "flyer", Name = "Flyer", CreatedAt = DateTime.UtcNow });
            db.Channels.Add(new() { ShopId = shop.Shop.Id, Kind = ChannelKind.Named, Code = "old-flyer", Name = "Old flyer", CreatedAt = DateTime.UtcNow, Retired = true });
            db.Channels.Add(new() { ShopId = other.Shop.Id, Kind = ChannelKind.Named, Code = "theirs", Name = "Theirs", CreatedAt = DateTime.UtcNow });
            db.Tables.Add(new() { ShopId = other.Shop.Id, Code = "their-table", Name = "Theirs" });
            return await db.SaveChangesAsync();
        });
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));

        var poster = await owner.Client.GetStringAsync($"/console/{shop.Slug}/poster?channel=flyer");
        Assert.Contains($"data-link=\"http://noodles.example/s/{shop.Slug}/c/flyer\"", poster, StringComparison.Ordinal);
        Assert.Contains($"src=\"/console/{shop.Slug}/codes/channel/flyer\"", poster, StringComparison.Ordinal);
        var store = await owner.Client.GetStringAsync($"/console/{shop.Slug}/poster");
        Assert.Contains($"src=\"/console/{shop.Slug}/codes/store/{shop.Slug}\"", store, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"/console/{shop.Slug}/poster?channel=old-flyer")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"/console/{shop.Slug}/poster?channel=theirs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"/console/{shop.Slug}/poster?channel=nope")).StatusCode);

        // Printed pages speak the shop's language (English here), or the one the owner picks, whatever the console's.
        owner.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        Assert.Contains("<p class=\"cta\">Scan to order</p>", store, StringComparison.Ordinal);
        var chinese = await owner.Client.GetStringAsync($"/console/{shop.Slug}/tables/tents?language=zh-Hans");
        Assert.Contains("<html lang=\"zh-Hans\">", chinese, StringComparison.Ordinal);
        Assert.Contains("<p class=\"cta\">扫码点餐</p>", chinese, StringComparison.Ordinal);
        Assert.Contains("<p class=\"cta\">Scan to order</p>", await owner.Client.GetStringAsync($"/console/{shop.Slug}/tables/print"), StringComparison.Ordinal);

        var tents = await owner.Client.GetStringAsync($"/console/{shop.Slug}/tables/tents?table=their-table");
        Assert.DoesNotContain("class=\"tent\"", tents, StringComparison.Ordinal);
        Assert.Contains("class=\"tent\" data-code=\"7\"", await owner.Client.GetStringAsync($"/console/{shop.Slug}/tables/tents?table=7"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_posters_hours_join_days_alike_monday_first_and_leave_out_closed_days()
    {
        OpeningRange Range(DayOfWeek day, int opens, int closes) => new() { Day = day, Opens = opens * 60, Closes = closes * 60 };
        List<OpeningRange> week =
        [
            Range(DayOfWeek.Sunday, 10, 14),
            .. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .SelectMany(d => new[] { Range(d, 16, 21), Range(d, 10, 14) }),
            Range(DayOfWeek.Saturday, 18, 26),
        ];
        week.RemoveAll(r => r.Day == DayOfWeek.Wednesday && r.Opens == 16 * 60);

        Assert.Equal(
            [("Mon–Tue", "10:00–14:00, 16:00–21:00"), ("Wed", "10:00–14:00"), ("Thu–Fri", "10:00–14:00, 16:00–21:00"), ("Sat", "18:00–02:00"), ("Sun", "10:00–14:00")],
            DoorPosterModel.WeekHours(week, CultureInfo.GetCultureInfo("en")));
        Assert.Equal(("周一至周二", "10:00–14:00, 16:00–21:00"), DoorPosterModel.WeekHours(week, CultureInfo.GetCultureInfo("zh-Hans"))[0]);
        Assert.Empty(DoorPosterModel.WeekHours([], CultureInfo.GetCultureInfo("en")));
    }
}
