using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Campaigns;
using Plaza.Features.Catalog;
using Plaza.Features.Channels;
using Plaza.Features.Ordering;
using Plaza.Features.Reservations;

namespace Plaza.Features.Sales;

/// <summary>
/// The owner's dashboard: the sales report of a period and, beside it, who bought (new and returning customers, how
/// many bought twice or more), each day against the mean of the week before it, orders by the channel that first
/// brought their customer, reservations and no-shows, and how each month's new customers came back.
/// <para>
/// Customers are <see cref="Customer"/> rows, one per person, whose roll-up counts orders as <see cref="CustomerBook"/>
/// does (completed, or refunded in part); so do these figures. Every query reads only the scoped shop's rows through an
/// index: the period's orders by (ShopId, BusinessDay), customers by primary key, the cohorts' orders by
/// (ShopId, CustomerId), reservations by (ShopId, Start). No order older than the cohort window is read.
/// </para>
/// </summary>
public static class Dashboard
{
    /// <summary>How many days before each day make up the mean it is compared with.</summary>
    public const int TrailingDays = 7;

    /// <summary>How many months of first orders the cohort table shows, this month included.</summary>
    public const int CohortMonths = 12;

    /// <param name="Total">Customers with a counted order in the period.</param>
    /// <param name="New">Of them, those whose first counted order ever falls in the period.</param>
    /// <param name="Repeat">Of them, those with two counted orders or more in all (up to now, not only in the period).</param>
    public sealed record Buyers(int Total, int New, int Repeat)
    {
        public int Returning => Total - New;

        public double? RepeatShare => Total == 0 ? null : (double)Repeat / Total;
    }

    /// <summary>A day of the period beside the mean of the <see cref="TrailingDays"/> days before it (days without orders count as zero).</summary>
    public sealed record Trend(LocalDate Date, int Orders, long Gross, double OrdersMean, long GrossMean)
    {
        public double OrdersDeviation => Orders - OrdersMean;

        public long GrossDeviation => Gross - GrossMean;
    }

    /// <summary>
    /// Customers whose first counted order fell in one month of the shop's zone, and how many of them ordered again in
    /// each month since: <see cref="Again"/>[0] those with a second counted order in that first month, [k] those with
    /// any counted order k months later. It runs up to this month, so later cohorts have fewer columns.
    /// </summary>
    public sealed record Cohort(LocalDate Month, int Customers, IReadOnlyList<int> Again)
    {
        public double Share(int k) => Customers == 0 ? 0 : (double)Again[k] / Customers;
    }

    /// <param name="Booked">Parties booked ahead for the period's days, not cancelled (no-shows included).</param>
    /// <param name="Guests">Guests of the parties that came: booked ones not cancelled and not no-shows, and walk-ins.</param>
    public sealed record Bookings(int Booked, int NoShows, int WalkIns, int Cancelled, int Guests)
    {
        public double? NoShowShare => Booked == 0 ? null : (double)NoShows / Booked;
    }

    public sealed record Result(SalesReport.Result Sales, Buyers Customers, IReadOnlyList<Trend> Days, IReadOnlyList<ChannelReport.Row> Channels,
        Bookings Reservations, IReadOnlyList<Cohort> Cohorts);

    public static async Task<Result> RunAsync(PlazaDb db, Shop shop, SalesReport.Period period, LocalDate today, CancellationToken ct)
    {
        var sales = await SalesReport.RunAsync(db, shop, period, ct);
        var zone = new OpeningSchedule(shop).Zone;
        var from = period.From.AtStartOfDayInZone(zone).ToDateTimeUtc();
        var to = period.To.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        var customers = await BuyersAsync(db, period, from, ct);
        var days = await TrendsAsync(db, period, sales.Days, ct);
        // First touch: the channel that brought the customer, whichever visit the order was placed in.
        var channels = await ChannelReport.RunAsync(db, shop, period, firstTouch: true, ct);
        var mix = channels.Channels.Concat(channels.Tables).Append(channels.Direct).Where(r => r.Orders > 0)
            .OrderByDescending(r => r.Orders).ThenByDescending(r => r.Revenue).ToList();
        var bookings = await BookingsAsync(db, from, to, ct);
        var cohorts = await CohortsAsync(db, zone, today, ct);
        return new Result(sales, customers, days, mix, bookings, cohorts);
    }

    private static async Task<Buyers> BuyersAsync(PlazaDb db, SalesReport.Period period, DateTime from, CancellationToken ct)
    {
        var first = SalesReport.DayNumber(period.From);
        var last = SalesReport.DayNumber(period.To);
        var buyers = CustomerBook.Counted(db.Orders.AsNoTracking().Where(o => o.BusinessDay >= first && o.BusinessDay <= last && o.CustomerId != null))
            .Select(o => o.CustomerId);
        // At most four rows: one per (new, bought twice) pair, read from one row per customer.
        var groups = await db.Customers.AsNoTracking()
            .Where(c => buyers.Contains(c.Id))
            .Select(c => new { New = c.FirstOrderAt >= from, Repeat = c.Orders >= 2 })
            .GroupBy(c => new { c.New, c.Repeat })
            .Select(g => new { g.Key.New, g.Key.Repeat, Count = g.Count() })
            .ToListAsync(ct);
        return new Buyers(groups.Sum(g => g.Count), groups.Where(g => g.New).Sum(g => g.Count), groups.Where(g => g.Repeat).Sum(g => g.Count));
    }

    private static async Task<IReadOnlyList<Trend>> TrendsAsync(PlazaDb db, SalesReport.Period period, IReadOnlyList<SalesReport.Day> days, CancellationToken ct)
    {
        // The days before the period, for the first days' means; sold as in the sales report (not rejected or cancelled).
        var before = SalesReport.DayNumber(period.From.PlusDays(-TrailingDays));
        var first = SalesReport.DayNumber(period.From);
        var earlier = await db.Orders.AsNoTracking()
            .Where(o => o.BusinessDay >= before && o.BusinessDay < first && o.Status != OrderStatus.Rejected && o.Status != OrderStatus.Cancelled)
            .GroupBy(o => o.BusinessDay)
            .Select(g => new { Day = g.Key, Orders = g.Count(), Gross = g.Sum(o => o.Total) })
            .ToDictionaryAsync(g => g.Day, ct);
        var series = Enumerable.Range(1, TrailingDays).Select(n => period.From.PlusDays(n - TrailingDays - 1))
            .Select(d => earlier.TryGetValue(SalesReport.DayNumber(d), out var g) ? (g.Orders, g.Gross) : (0, 0L))
            .Concat(days.Select(d => (d.Sales.Orders, d.Sales.Gross)))
            .ToList();
        return [.. days.Select((day, i) =>
        {
            var window = series.GetRange(i, TrailingDays);
            return new Trend(day.Date, day.Sales.Orders, day.Sales.Gross,
                (double)window.Sum(w => w.Item1) / TrailingDays, MoneyRounding.Divide(window.Sum(w => w.Item2), TrailingDays));
        })];
    }

    private static async Task<Bookings> BookingsAsync(PlazaDb db, DateTime from, DateTime to, CancellationToken ct)
    {
        var groups = await db.Reservations.AsNoTracking()
            .Where(r => r.Start >= from && r.Start < to)
            .GroupBy(r => new { r.Status, r.WalkIn })
            .Select(g => new { g.Key.Status, g.Key.WalkIn, Count = g.Count(), Guests = g.Sum(r => r.PartySize) })
            .ToListAsync(ct);
        var kept = groups.Where(g => g.Status != ReservationStatus.Cancelled).ToList();
        return new Bookings(
            kept.Where(g => !g.WalkIn).Sum(g => g.Count),
            kept.Where(g => g.Status == ReservationStatus.NoShow).Sum(g => g.Count),
            kept.Where(g => g.WalkIn).Sum(g => g.Count),
            groups.Where(g => g.Status == ReservationStatus.Cancelled).Sum(g => g.Count),
            kept.Where(g => g.Status != ReservationStatus.NoShow).Sum(g => g.Guests));
    }

    private static async Task<IReadOnlyList<Cohort>> CohortsAsync(PlazaDb db, DateTimeZone zone, LocalDate today, CancellationToken ct)
    {
        var thisMonth = today.With(DateAdjusters.StartOfMonth);
        var firstMonth = thisMonth.PlusMonths(1 - CohortMonths);
        var since = firstMonth.AtStartOfDayInZone(zone).ToDateTimeUtc();
        // Only customers who first bought in the window, and only their orders: one row per customer and month they bought in.
        // Their orders are all in the window too; saying so lets the store bound the orders it reads by (ShopId, BusinessDay).
        var sinceDay = SalesReport.DayNumber(firstMonth);
        // Grouped from the orders' covering index alone (no join: each order row looked up in Customers cost most of a
        // second in one big shop); whose first order falls in the window is decided below from their first orders.
        var rows = await CustomerBook.Counted(db.Orders.AsNoTracking().Where(o => o.BusinessDay >= sinceDay && o.CustomerId != null))
            .GroupBy(o => new { Id = o.CustomerId!.Value, Month = o.BusinessDay / 100 })
            .Select(g => new { g.Key.Id, g.Key.Month, Orders = g.Count() })
            .ToListAsync(ct);
        // Their first orders apart, one row per customer, so the many rows above carry no date to parse (SQLite keeps dates
        // as text): with 200,000 orders and 20,000 customers in one shop this read took ~1.1 s on SQLite, apart ~0.5 s.
        var firsts = await db.Customers.AsNoTracking().Where(c => c.FirstOrderAt >= since)
            .Select(c => new { c.Id, c.FirstOrderAt }).ToDictionaryAsync(c => c.Id, c => c.FirstOrderAt!.Value, ct);

        static int Index(int year, int month) => (year * 12) + month - 1;
        var start = Index(firstMonth.Year, firstMonth.Month);
        var months = Index(thisMonth.Year, thisMonth.Month) - start + 1;
        var sizes = new int[months];
        var again = Enumerable.Range(0, months).Select(m => new int[months - m]).ToArray();
        foreach (var customer in rows.GroupBy(r => r.Id))
        {
            if (!firsts.TryGetValue(customer.Key, out var firstAt))
            {
                continue; // first bought before the window (or was counted between the two reads)
            }
            var firstDay = Instant.FromDateTimeUtc(DateTime.SpecifyKind(firstAt, DateTimeKind.Utc)).InZone(zone).Date;
            var cohort = Index(firstDay.Year, firstDay.Month) - start;
            if (cohort < 0 || cohort >= months)
            {
                continue;
            }
            sizes[cohort]++;
            foreach (var month in customer)
            {
                var k = Index(month.Month / 100, month.Month % 100) - start - cohort;
                if ((k == 0 && month.Orders >= 2) || (k > 0 && k < again[cohort].Length))
                {
                    again[cohort][k]++;
                }
            }
        }
        return [.. Enumerable.Range(0, months).Select(m => new Cohort(firstMonth.PlusMonths(m), sizes[m], again[m]))];
    }

    /// <summary>
    /// The daily series as CSV for a spreadsheet, with each day's trailing means and deviations; amounts in major units.
    /// UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it right. Every cell is a date or a number this
    /// method wrote (no one's text), so none can run as a formula and negative deviations stay numbers.
    /// </summary>
    public static byte[] Csv(Result report)
    {
        var digits = Currencies.DigitsOf(report.Sales.Currency);
        string Amount(long minor) => MenuCsv.Major(minor, digits);
        static string Count(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
        var text = new StringBuilder("date,orders,gross,item_sales,tax,tips,delivery_fees,average_ticket,"
            + "orders_trailing_mean,orders_deviation,gross_trailing_mean,gross_deviation\r\n");
        foreach (var (day, trend) in report.Sales.Days.Zip(report.Days))
        {
            var s = day.Sales;
            string[] fields =
            [
                SalesReport.Iso(day.Date), s.Orders.ToString(CultureInfo.InvariantCulture), Amount(s.Gross), Amount(s.ItemSales), Amount(s.Tax),
                Amount(s.Tips), Amount(s.DeliveryFees), Amount(s.AverageTicket),
                Count(trend.OrdersMean), Count(trend.OrdersDeviation), Amount(trend.GrossMean), Amount(trend.GrossDeviation),
            ];
            text.AppendJoin(',', fields).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }
}
