using System.Net;
using System.Net.Http.Json;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Plaza.Common;
using Plaza.Features.Channels;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Features.Reservations;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Sales;

/// <summary>
/// The owner's dashboard on the sales report: customers bought for months in a shop on Shanghai time (UTC+8), and the
/// figures an owner reads — new and returning customers, who bought twice, each day against the week before it, orders by
/// the channel that first brought their customer, no-shows, how each month's new customers came back — equal the ones
/// worked out by hand below, on the page (charts and tables) and in the CSV.
/// </summary>
public sealed class DashboardTests
{
    private static readonly DateTimeOffset Today = new(2026, 3, 10, 4, 0, 0, TimeSpan.Zero); // noon in Shanghai
    private const string Period = "?period=custom&from=2026-03-04&to=2026-03-10";

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_dashboard_counts_new_and_returning_customers_cohorts_channels_no_shows_and_each_days_deviation_as_worked_out_by_hand(Store store)
    {
        var clock = new TestClock(new DateTimeOffset(2025, 3, 20, 4, 0, 0, TimeSpan.Zero));
        await using var app = await PlazaApp.StartAsync(store, clock);
        var shop = await TestShops.CreateAsync(app, s => s.TimeZone = "Asia/Shanghai");
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        await app.WithDb(shop.Shop, async db =>
        {
            db.Channels.Add(new Channel { ShopId = shop.Shop.Id, Kind = ChannelKind.Named, Code = "door-poster", Name = "Door poster" });
            return await db.SaveChangesAsync();
        });
        async Task BuyAsync(string phone, DateTimeOffset at, HttpClient? client = null)
        {
            clock.Set(at);
            await CompleteAsync(owner, shop, await PlaceAsync(client ?? app.CreateClient(), shop, phone));
        }

        // Each cake is 4.50. In Shanghai's days and months:
        await BuyAsync(Fu, At(2025, 3, 20));              // Fu first bought before the cohort window (April 2025 on)
        await BuyAsync(An, At(2026, 1, 15));              // An: January's cohort, twice in January, again in February and March
        await BuyAsync(An, At(2026, 1, 20));
        await BuyAsync(Bo, At(2026, 1, 25));              // Bo: January's cohort, never again
        await BuyAsync(Cai, new(2026, 1, 31, 17, 0, 0, TimeSpan.Zero)); // 1 February, 01:00 in Shanghai: February's cohort
        await BuyAsync(An, At(2026, 2, 10));
        await BuyAsync(NoOne, At(2026, 3, 1));            // a guest without a valid phone is no customer, but a sale
        await BuyAsync(An, At(2026, 3, 5));
        await BuyAsync(Cai, At(2026, 3, 6));
        // Du follows the door poster and buys twice: March's cohort, both orders first-touch "door poster".
        var du = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        clock.Set(At(2026, 3, 6).AddHours(1));
        await du.GetAsync($"/s/{shop.Slug}/c/door-poster");
        await BuyAsync(Du, At(2026, 3, 6).AddHours(1), du);
        await BuyAsync(Du, At(2026, 3, 7), du);
        await BuyAsync(NoOne, At(2026, 3, 8));
        await BuyAsync(Er, new(2026, 3, 8, 15, 30, 0, TimeSpan.Zero)); // 23:30 on the 8th in Shanghai
        await BuyAsync(Fu, At(2026, 3, 9));
        clock.Set(Today);

        await app.WithDb(shop.Shop, async db =>
        {
            Reservation Party(DateTimeOffset start, int size, ReservationStatus status, bool walkIn = false) => new()
            {
                Id = Guid.NewGuid(),
                ShopId = shop.Shop.Id,
                Start = start.UtcDateTime,
                End = start.AddHours(2).UtcDateTime,
                PartySize = size,
                Name = "Guest",
                Phone = "+8613800138000",
                Email = "guest@example.com",
                Status = status,
                WalkIn = walkIn,
                CreatedAt = start.UtcDateTime.AddDays(-1),
            };
            db.Reservations.AddRange(
                Party(Local(2026, 3, 3, 20), 6, ReservationStatus.NoShow),     // the day before the period
                Party(Local(2026, 3, 5, 19), 2, ReservationStatus.Finished),
                Party(Local(2026, 3, 6, 19), 4, ReservationStatus.NoShow),
                Party(Local(2026, 3, 7, 19), 3, ReservationStatus.Cancelled),
                Party(Local(2026, 3, 8, 12), 2, ReservationStatus.NoShow),
                Party(Local(2026, 3, 9, 12), 2, ReservationStatus.Finished, walkIn: true),
                Party(new(2026, 3, 10, 16, 30, 0, TimeSpan.Zero), 5, ReservationStatus.NoShow)); // 00:30 on the 11th in Shanghai
            return await db.SaveChangesAsync();
        });

        using var console = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = await PageAsync(console, shop, Period);

        // The period's sold orders: 1 on the 5th, 2 on the 6th, 1 on the 7th, 2 on the 8th, 1 on the 9th (7 in all).
        // Its customers: An, Cai, Du, Er and Fu (the guests without a phone are no one). New: Du and Er, whose first order is
        // in the period; the other three bought before. Twice or more in all: An (5), Cai (2), Du (2), Fu (2); not Er.
        Assert.Equal(("5", "2", "3"), (Text(page, "#buyers"), Text(page, "#new-customers"), Text(page, "#returning-customers")));
        Assert.StartsWith("4 (80", Text(page, "#repeat-rate"), StringComparison.Ordinal);

        // Each day against the mean of the 7 days before it: before the 6th (27 Feb – 5 Mar) there were 2 orders (1 March, 5 March),
        // so the mean is 2/7 orders and round(9.00 / 7) = 1.29 gross; the 6th had 2 orders, 9.00.
        Assert.Equal(["2026-03-06", "2", "0.3", "+1.7", Money(900), Money(129), "+" + Money(771)], Row(page, "#by-day tr[data-day='2026-03-06']")[..7]);
        // Before the 10th (3–9 March): 7 orders, 31.50; the 10th had none.
        Assert.Equal(["2026-03-10", "0", "1.0", "−1.0", Money(0), Money(450), "−" + Money(450)], Row(page, "#by-day tr[data-day='2026-03-10']")[..7]);

        // The chart draws the same numbers the table holds: one bar per day, labelled with its value.
        var chart = page.QuerySelector("svg#orders-chart")!;
        Assert.Equal("img", chart.GetAttribute("role"));
        Assert.Equal("Orders per day", chart.QuerySelector("title")!.TextContent);
        Assert.Contains("The most on 2026-03-06: 2.", chart.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["2026-03-04: 0", "2026-03-05: 1", "2026-03-06: 2", "2026-03-07: 1", "2026-03-08: 2", "2026-03-09: 1", "2026-03-10: 0"],
            chart.QuerySelectorAll("rect > title").Select(t => t.TextContent));
        var heights = chart.QuerySelectorAll("rect").Select(r => double.Parse(r.GetAttribute("height")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(heights[2], heights[4]);
        Assert.Equal(heights[2], 2 * heights[1], 3);
        Assert.Equal(0, heights[0]);

        // Asked for the deviations, the bars go up and down from the week's mean: the 10th, with none, is below it.
        var deviations = await PageAsync(console, shop, Period + "&view=deviation");
        var diverging = deviations.QuerySelector("svg#orders-chart")!;
        Assert.Contains("2026-03-06: +1.7", diverging.QuerySelectorAll("rect > title").Select(t => t.TextContent));
        Assert.Equal(["2026-03-04: −0.1", "2026-03-10: −1.0"], diverging.QuerySelectorAll("rect.below > title").Select(t => t.TextContent));
        Assert.Equal("2026-03-06: +" + Money(771), deviations.QuerySelectorAll("svg#gross-chart rect > title").ElementAt(2).TextContent);
        Assert.Equal("deviation", deviations.QuerySelector("#custom-period input[name=view]")!.GetAttribute("value"));

        // First touch: Du's two orders came through the door poster, the other five orders through no channel.
        Assert.Equal(["Door poster", "2"], Row(page, "#channel-mix tr[data-code='door-poster']")[..2]);
        Assert.StartsWith("29", Row(page, "#channel-mix tr[data-code='door-poster']")[2], StringComparison.Ordinal);
        Assert.Equal(Money(900), Row(page, "#channel-mix tr[data-code='door-poster']")[3]);
        Assert.Equal(["Direct (no channel)", "5"], Row(page, "#channel-mix tr[data-code='']")[..2]);
        Assert.Equal(Money(5 * 450), Row(page, "#channel-mix tr[data-code='']")[3]);

        // Reservations on the period's days: three booked ahead and not cancelled, two of them no-shows; one walk-in; one cancelled.
        Assert.Equal("3", Text(page, "#booked"));
        Assert.StartsWith("2 (67", Text(page, "#no-shows"), StringComparison.Ordinal);
        Assert.Equal(("1", "1", "4"), (Text(page, "#walk-ins"), Text(page, "#reservations-cancelled"), Text(page, "#guests")));

        // Cohorts by month of first order, April 2025 to March 2026 (Fu's first order is older, so Fu is in none):
        // January: An and Bo; An bought again in January, in February (month 1) and in March (month 2).
        // February: Cai (the 1st in Shanghai), who did not buy again that month but did in March.
        // March: Du and Er; Du bought twice in March.
        Assert.Equal(12, page.QuerySelectorAll("#cohorts tr[data-month]").Length);
        Assert.Equal(["2025-04", "0", "0"], Cohort(page, "2025-04")[..3]);
        Assert.Equal(["2026-01", "2", "1", "1", "1"], Cohort(page, "2026-01"));
        Assert.Equal(["2026-02", "1", "0", "1"], Cohort(page, "2026-02"));
        Assert.Equal(["2026-03", "2", "1"], Cohort(page, "2026-03"));
        Assert.StartsWith("50", Row(page, "#cohorts tr[data-month='2026-01']")[4], StringComparison.Ordinal);
        Assert.StartsWith("100", Row(page, "#cohorts tr[data-month='2026-02']")[3], StringComparison.Ordinal);

        // The daily series as CSV, for Excel: a byte-order mark, then one line per day with the same means and deviations.
        var csv = await console.Client.GetAsync($"/console/{shop.Slug}/reports{Period}&handler=Csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("date,orders,gross,item_sales,tax,tips,delivery_fees,average_ticket,orders_trailing_mean,orders_deviation,gross_trailing_mean,gross_deviation", lines[0]);
        Assert.Equal(8, lines.Length);
        Assert.StartsWith("2026-03-06,2,9.00,9.00,", lines[3], StringComparison.Ordinal);
        Assert.EndsWith(",4.50,0.29,1.71,1.29,7.71", lines[3], StringComparison.Ordinal);
        Assert.Equal("2026-03-10,0,0.00,0.00,0.00,0.00,0.00,0.00,1,-1,4.50,-4.50", lines[7]);
        Assert.Equal(HttpStatusCode.BadRequest, (await console.Client.GetAsync($"/console/{shop.Slug}/reports?period=year&handler=Csv")).StatusCode);
    }

    private const string An = "+86 138 0013 8001", Bo = "+86 138 0013 8002", Cai = "+86 138 0013 8003", Du = "+86 138 0013 8004",
        Er = "+86 138 0013 8005", Fu = "+86 138 0013 8006", NoOne = "000 000";

    /// <summary>Noon in Shanghai on a day.</summary>
    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 4, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Local(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    private static string Money(long minor) => Currencies.Format(new Money(minor, "EUR"));

    private static async Task<IDocument> PageAsync(ConsoleSession owner, TestShop shop, string query) =>
        new HtmlParser().ParseDocument(await owner.Client.GetStringAsync($"/console/{shop.Slug}/reports{query}"));

    private static string Text(IDocument page, string selector) => page.QuerySelector(selector)!.TextContent.Trim();

    private static string[] Row(IDocument page, string selector) => [.. page.QuerySelector(selector)!.Children.Select(c => c.TextContent.Trim())];

    /// <summary>A cohort's month, its size, and how many of it ordered again in month 0, 1, 2 and on.</summary>
    private static string[] Cohort(IDocument page, string month)
    {
        var row = page.QuerySelector($"#cohorts tr[data-month='{month}']")!;
        return [row.Children[0].TextContent, row.Children[1].TextContent, .. row.QuerySelectorAll("td[data-again]").Select(c => c.GetAttribute("data-again")!)];
    }

    private static async Task<Guid> PlaceAsync(HttpClient client, TestShop shop, string phone)
    {
        var order = await Asserts.CreatedAsync(await client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders",
            new { type = "pickup", items = new[] { TestShops.Line(shop.Cake.Id) }, customer = new { name = "Mei", phone } }));
        return order.GetProperty("id").GetGuid();
    }

    private static async Task CompleteAsync(HttpClient owner, TestShop shop, Guid order)
    {
        foreach (var status in new[] { "accepted", "ready", "completed" })
        {
            var moved = await owner.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{order}/status", new { status });
            Assert.True(moved.IsSuccessStatusCode, $"{status}: {(int)moved.StatusCode} {await moved.Content.ReadAsStringAsync()}");
        }
    }
}
