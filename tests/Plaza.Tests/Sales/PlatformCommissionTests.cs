using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
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

        Assert.Equal(PlatformCommission.On(450), report.GetProperty("platformWouldHaveTaken").GetProperty("amount").GetInt64());
        Assert.Equal(113, PlatformCommission.On(450));
        var line = Commission().Match(board);
        Assert.True(line.Success, "The board shows no commission line.");
        Assert.Contains("1.13", line.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("1.12", line.Value, StringComparison.Ordinal);
    }

    [GeneratedRegex("<p class=\"commission\">[^<]*</p>")]
    private static partial Regex Commission();
}
