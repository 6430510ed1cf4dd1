using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Features.Sales;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Sales;

/// <summary>The board's "today" line and the sales report name the same platform commission, to the cent.</summary>
public sealed partial class PlatformCommissionTests
{
    [Fact]
    public async Task The_board_and_the_sales_report_show_the_same_commission_where_truncating_would_lose_a_cent()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero));
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, clock);
        var shop = await CreateAsync(app);
        // One cake at 4.50: a quarter is 1.125, which truncation makes 1.12 and rounding 1.13.
        await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop, items: [Line(shop.Cake.Id, 1)])));
        using var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));
        using var console = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));

        var report = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/reports/sales?period=today");
        var board = await console.Client.GetStringAsync($"/console/{shop.Slug}/board");

        Assert.Equal(PlatformCommission.On(450, shop.Shop), report.GetProperty("platformWouldHaveTaken").GetProperty("amount").GetInt64());
        Assert.Equal(113, PlatformCommission.On(450, shop.Shop));
        var line = Commission().Match(board);
        Assert.True(line.Success, "The board shows no commission line.");
        Assert.Contains("1.13", line.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("1.12", line.Value, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_owners_commission_rate_is_what_the_board_the_sales_page_and_the_api_compare_with(Store store)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero));
        await using var app = await PlazaApp.StartAsync(store, clock);
        var shop = await CreateAsync(app);
        // Two cakes at 4.50: 9.00 of item sales.
        await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop, items: [Line(shop.Cake.Id, 2)])));
        using var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));
        using var console = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var settings = $"/console/{shop.Slug}/settings";
        var form = Catalog.SettingsTests.Form(timeZone: "Europe/Berlin");
        form["Form.Commission"] = "１２．５ %";
        form["Form.DefaultLanguage"] = "en";

        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await console.PostFormAsync(settings, form, await console.TokenAsync(settings))).StatusCode);

        // 12.5 % of 9.00 is 1.125: 1.13, rounded as everywhere else.
        var report = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/reports/sales?period=today");
        Assert.Equal(12.5m, report.GetProperty("platformCommissionPercent").GetDecimal());
        Assert.Equal(113, report.GetProperty("platformWouldHaveTaken").GetProperty("amount").GetInt64());
        var board = Commission().Match(await console.Client.GetStringAsync($"/console/{shop.Slug}/board")).Value;
        Assert.Contains("12.5 %", board, StringComparison.Ordinal);
        Assert.Contains("1.13", board, StringComparison.Ordinal);
        var sales = await console.Client.GetStringAsync($"/console/{shop.Slug}/reports?period=today");
        Assert.Matches("id=\"platform\">[^<]*12.5 %[^<]*1.13", sales);
        Assert.Contains("value=\"12.5\"", await console.Client.GetStringAsync(settings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commission_that_is_not_a_percentage_is_refused_and_the_old_rate_stays()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var console = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var settings = $"/console/{shop.Slug}/settings";

        foreach (var bad in new[] { "", "abc", "101", "-5", "12.345" })
        {
            var form = Catalog.SettingsTests.Form(timeZone: "Europe/Berlin");
            form["Form.Commission"] = bad;
            var refused = await console.PostFormAsync(settings, form, await console.TokenAsync(settings));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("A commission is a percentage", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(2500, await app.WithDb(null, db => db.Shops.Where(s => s.Id == shop.Shop.Id).Select(s => s.CommissionBasisPoints).SingleAsync()));
    }

    [GeneratedRegex("<p class=\"commission\">[^<]*</p>")]
    private static partial Regex Commission();
}
