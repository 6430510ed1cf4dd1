using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Channels;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Channels;

/// <summary>An owner names a channel, prints its code, and reads what each channel, table and shared link brought.</summary>
public sealed class ChannelReportTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_report_credits_channels_tables_and_shared_links_by_last_touch_or_first(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        await AddAsync(owner, shop, "Door poster");
        var channels = $"/console/{shop.Slug}/channels";
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostFormAsync($"{channels}?handler=Reward", new() { ["Reward"] = "60" }, await owner.TokenAsync(channels))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"{channels}?handler=Reward", new() { ["Reward"] = "１０％" }, await owner.TokenAsync(channels))).StatusCode);

        var mei = Browser(app);
        await mei.GetAsync($"/s/{shop.Slug}/c/door-poster");
        var meis = await PlaceAsync(app, mei, shop);
        var link = await (await mei.PostAsync($"/s/{shop.Slug}/share", null)).JsonAsync();
        var li = Browser(app);
        await li.GetAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery);
        var lis = await PlaceAsync(app, li, shop);
        // Rejected orders count for nothing, wherever they came from.
        var rejected = Browser(app);
        await rejected.GetAsync($"/s/{shop.Slug}/c/door-poster");
        var refused = await PlaceAsync(app, rejected, shop);
        await app.WithDb(shop.Shop, db => db.Orders.Where(o => o.Id == refused.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Rejected)));
        var atTable = Browser(app);
        await atTable.GetAsync($"/s/{shop.Slug}/t/7");
        var tables = await PlaceAsync(app, atTable, shop, "dineIn");
        var direct = await PlaceAsync(app, Browser(app), shop);
        // Mei comes back through the store code: her second order's last touch is the store, its first the poster.
        await mei.GetAsync($"/s/{shop.Slug}/c/store");
        var again = await PlaceAsync(app, mei, shop);
        await app.Services.GetRequiredService<ChannelVisits>().FlushAsync(CancellationToken.None);

        var report = await PageAsync(owner, $"/console/{shop.Slug}/channels/report");
        var poster = Row(report, "#channels", "door-poster");
        Assert.Equal(["Door poster", "3", "2", "66.7 %", Money(meis.Total + lis.Total), Money((meis.Total + lis.Total) / 2), "1"], poster);
        Assert.Equal(["Store code", "1", "1", "100.0 %", Money(again.Total), Money(again.Total), "0"], Row(report, "#channels", "store"));
        Assert.Equal(["Direct (no channel)", "—", "1", "—", Money(direct.Total), Money(direct.Total), "0"], Row(report, "#channels", ""));
        Assert.Equal(["Table 7", "1", "1", "100.0 %", Money(tables.Total), Money(tables.Total)], Row(report, "#tables", "table-7"));
        Assert.Equal(["1", "1", "1", "1", Money(lis.Total)], report.QuerySelector("#generations tr[data-depth='1']")!.Children.Select(c => c.TextContent.Trim()));
        var referrer = Row(report, "#referrers", link.GetProperty("code").GetString()!);
        Assert.Equal(["1", "Door poster", "1", "1"], referrer[1..5]);
        Assert.Equal(Money((lis.Total + 5) / 10), referrer[6]); // 10 % of the order the link brought
        Assert.Contains("Door poster: 2", report.QuerySelector("#orders-chart desc")!.TextContent, StringComparison.Ordinal);

        var firstTouch = await PageAsync(owner, $"/console/{shop.Slug}/channels/report?period=7d&touch=first");
        Assert.Equal("3", Row(firstTouch, "#channels", "door-poster")[2]);
        Assert.Equal("0", Row(firstTouch, "#channels", "store")[2]);

        var csv = await owner.Client.GetAsync($"/console/{shop.Slug}/channels/report?period=7d&touch=last&handler=Csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("kind,code,name,depth,visits,orders,conversion_percent,revenue,average_order,reward", lines[0]);
        Assert.Contains($"named,door-poster,Door poster,0,3,2,66.7,{Major(meis.Total + lis.Total)},{Major((meis.Total + lis.Total) / 2)},", lines);
    }

    [Fact]
    public async Task An_owner_names_channels_in_any_language_and_their_codes_scan_to_their_links()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));

        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(owner, shop, "Flyer October")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(owner, shop, "微信群")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(owner, shop, "Poster", "ＷｅＣｈａｔ－２")).StatusCode);
        var refusedReserved = await AddAsync(owner, shop, "Sneaky", "store");
        var refusedTaken = await AddAsync(owner, shop, "Again", "flyer-october");
        Assert.Equal(HttpStatusCode.BadRequest, refusedReserved.StatusCode);
        Assert.Contains("Plaza keeps this code for its own channels", await refusedReserved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refusedTaken.StatusCode);

        var codes = await app.WithDb(shop.Shop, db => db.Channels.OrderBy(c => c.Id).Select(c => c.Code).ToListAsync());
        Assert.Equal(3, codes.Count);
        Assert.Equal("flyer-october", codes[0]);
        Assert.Matches("^ch-[a-z2-9]{8}$", codes[1]);
        Assert.Equal("wechat-2", codes[2]);

        var png = await owner.Client.GetAsync($"/console/{shop.Slug}/codes/channel/{codes[1]}?format=png");
        Assert.Equal($"http://localhost/s/{shop.Slug}/c/{codes[1]}", QrDecoder.Decode(await png.Content.ReadAsByteArrayAsync()));
        // Only named channels have printable codes here; a customer's shared link is theirs.
        var share = await (await Browser(app).PostAsync($"/s/{shop.Slug}/share", null)).JsonAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"/console/{shop.Slug}/codes/channel/{share.GetProperty("code").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task A_period_that_is_no_period_is_a_problem_not_a_file()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));

        var csv = await owner.Client.GetAsync($"/console/{shop.Slug}/channels/report?period=custom&from=2026-13-01&to=2026-01-01&handler=Csv");

        Assert.Equal(HttpStatusCode.BadRequest, csv.StatusCode);
        Assert.Equal("application/problem+json", csv.Content.Headers.ContentType?.MediaType);
    }

    private static HttpClient Browser(PlazaApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> AddAsync(ConsoleSession owner, TestShop shop, string name, string code = "")
    {
        var page = $"/console/{shop.Slug}/channels";
        return await owner.PostFormAsync($"{page}?handler=Add", new() { ["Name"] = name, ["Code"] = code }, await owner.TokenAsync(page));
    }

    private static async Task<Order> PlaceAsync(PlazaApp app, HttpClient customer, TestShop shop, string type = "pickup")
    {
        var placed = await TestShops.PlaceAsync(customer, shop, Order(shop, type));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var id = (await placed.JsonAsync()).GetProperty("id").GetGuid();
        return await app.WithDb(shop.Shop, db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == id));
    }

    private static async Task<IDocument> PageAsync(ConsoleSession owner, string url) =>
        new HtmlParser().ParseDocument(await owner.Client.GetStringAsync(url));

    private static string[] Row(IDocument page, string table, string code) =>
        [.. page.QuerySelector($"{table} tr[data-code='{code}']")!.Children.Select(c => c.TextContent.Trim())];

    private static string Money(long minor) => Plaza.Common.Currencies.Format(new Plaza.Common.Money(minor, "EUR"));

    private static string Major(long minor) => Plaza.Features.Catalog.MenuCsv.Major(minor, 2);
}
