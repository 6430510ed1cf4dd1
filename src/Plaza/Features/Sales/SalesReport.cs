using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Features.Sales;

/// <summary>
/// The owner's sales report for a period of the shop's local days. Days are the orders'
/// <see cref="Order.BusinessDay"/>, fixed in the shop's time zone when the order was placed, so a
/// report never re-buckets old orders when the clock or the zone changes. Both queries read only
/// the scoped shop's rows through the covering index on Orders (ShopId, BusinessDay, …), so a
/// report costs the same on a node with a million orders of other shops.
/// </summary>
public static class SalesReport
{
    /// <summary>The longest custom period, so one request cannot ask for decades of days.</summary>
    public const int MaxDays = 366;
    public const int TopItems = 10;

    public static readonly string[] Periods = ["today", "7d", "30d", "custom"];

    /// <summary>An inclusive range of the shop's local dates.</summary>
    public sealed record Period(string Name, LocalDate From, LocalDate To)
    {
        public int Days => NodaTime.Period.Between(From, To, PeriodUnits.Days).Days + 1;
    }

    public sealed record Figures(int Orders, long Gross, long ItemSales, long Tax, long Tips, long DeliveryFees)
    {
        public static readonly Figures None = new(0, 0, 0, 0, 0, 0);

        public long AverageTicket => Orders == 0 ? 0 : MoneyRounding.Divide(Gross, Orders);

        public Figures Plus(Figures other) => new(Orders + other.Orders, Gross + other.Gross, ItemSales + other.ItemSales,
            Tax + other.Tax, Tips + other.Tips, DeliveryFees + other.DeliveryFees);
    }

    public sealed record Day(LocalDate Date, Figures Sales);

    public sealed record ByType(OrderType Type, Figures Sales);

    public sealed record ItemSales(int ItemId, string Name, int Quantity, long Revenue);

    /// <param name="Discounts">Taken off sold orders by coupons and points (already out of gross sales).</param>
    /// <param name="Refunds">Refunds given on the period's days, whichever day their orders were placed.</param>
    /// <param name="TopUps">Money paid onto members' balances: owed to them in goods, so not a sale.</param>
    /// <param name="Bonuses">What top-up offers added to balances: a cost to the shop.</param>
    public sealed record MemberFigures(long Discounts, int Refunds, long Refunded, long TopUps, long Bonuses);

    public sealed record Result(
        Period Period,
        string Currency,
        Figures Sales,
        IReadOnlyList<Day> Days,
        IReadOnlyList<ByType> Types,
        IReadOnlyList<ItemSales> TopByQuantity,
        IReadOnlyList<ItemSales> TopByRevenue,
        int Rejected,
        long RejectedValue,
        int Cancelled,
        long CancelledValue,
        int CommissionBasisPoints,
        MemberFigures Members)
    {
        /// <summary>What a platform taking the shop's chosen commission on item sales would have kept.</summary>
        public long PlatformWouldHaveTaken => PlatformCommission.On(Sales.ItemSales, CommissionBasisPoints);
    }

    /// <summary>
    /// Reads the period from <c>period</c> (today, 7d, 30d, custom) and, for custom, <c>from</c>/<c>to</c>
    /// (yyyy-MM-dd, inclusive); returns the field errors instead when they do not make a period.
    /// </summary>
    public static (Period? Period, Dictionary<string, string[]> Errors) ParsePeriod(string? period, string? from, string? to, LocalDate today)
    {
        var errors = new Dictionary<string, string[]>();
        switch (string.IsNullOrEmpty(period) ? (from is null && to is null ? "7d" : "custom") : period)
        {
            case "today":
                return (new Period("today", today, today), errors);
            case "7d":
                return (new Period("7d", today.PlusDays(-6), today), errors);
            case "30d":
                return (new Period("30d", today.PlusDays(-29), today), errors);
            case "custom":
                var start = ParseDate(from, "from", errors);
                var end = ParseDate(to, "to", errors);
                if (start is { } s && end is { } e)
                {
                    if (e < s)
                    {
                        errors["to"] = [Text.Say("Must not be before 'from'.")];
                    }
                    else if (s.PlusDays(MaxDays - 1) < e)
                    {
                        errors["to"] = [Text.Say("A report covers at most {0} days.", MaxDays)];
                    }
                    else
                    {
                        return (new Period("custom", s, e), errors);
                    }
                }
                return (null, errors);
            default:
                errors["period"] = [Text.Say("One of: {0}.", string.Join(", ", Periods))];
                return (null, errors);
        }
    }

    private static LocalDate? ParseDate(string? text, string field, Dictionary<string, string[]> errors)
    {
        var parsed = LocalDatePattern.Iso.Parse(Typed.Plain(text).Trim());
        if (parsed.Success && parsed.Value.Year is >= 2000 and <= 9000)
        {
            return parsed.Value;
        }
        errors[field] = [Text.Say("A date as yyyy-MM-dd.")];
        return null;
    }

    /// <summary>The shop's local date now.</summary>
    public static LocalDate Today(Shop shop, TimeProvider clock) =>
        new OpeningSchedule(shop).LocalDateOf(Instant.FromDateTimeOffset(clock.GetUtcNow()));

    /// <summary>Runs the report for the shop in scope (PlazaDb's shop filter keeps other shops out).</summary>
    public static async Task<Result> RunAsync(PlazaDb db, Shop shop, Period period, CancellationToken ct)
    {
        var first = DayNumber(period.From);
        var last = DayNumber(period.To);
        var orders = db.Orders.AsNoTracking().Where(o => o.BusinessDay >= first && o.BusinessDay <= last);

        // One row per day, type and status: at most days × 3 × 7 rows, whatever the order count.
        var groups = await orders
            .GroupBy(o => new { o.BusinessDay, o.Type, o.Status })
            .Select(g => new
            {
                g.Key.BusinessDay,
                g.Key.Type,
                g.Key.Status,
                Count = g.Count(),
                Gross = g.Sum(o => o.Total),
                Items = g.Sum(o => o.ItemsTotal),
                Tax = g.Sum(o => o.Tax),
                Tips = g.Sum(o => o.Tip),
                Delivery = g.Sum(o => o.DeliveryFee),
                Discount = g.Sum(o => o.Discount),
            })
            .ToListAsync(ct);

        var sold = orders.Where(o => o.Status != OrderStatus.Rejected && o.Status != OrderStatus.Cancelled);
        var items = await ItemSalesAsync(db, sold, ct);
        var discounts = groups.Where(g => g.Status is not (OrderStatus.Rejected or OrderStatus.Cancelled)).Sum(g => g.Discount);
        var members = await MemberFiguresAsync(db, shop, period, first, last, discounts, ct);

        var byDay = new Dictionary<int, Figures>();
        var byType = new Dictionary<OrderType, Figures>();
        var total = Figures.None;
        int rejected = 0, cancelled = 0;
        long rejectedValue = 0, cancelledValue = 0;
        foreach (var g in groups)
        {
            switch (g.Status)
            {
                case OrderStatus.Rejected:
                    rejected += g.Count;
                    rejectedValue += g.Gross;
                    continue;
                case OrderStatus.Cancelled:
                    cancelled += g.Count;
                    cancelledValue += g.Gross;
                    continue;
            }
            var figures = new Figures(g.Count, g.Gross, g.Items, g.Tax, g.Tips, g.Delivery);
            total = total.Plus(figures);
            byDay[g.BusinessDay] = byDay.GetValueOrDefault(g.BusinessDay, Figures.None).Plus(figures);
            byType[g.Type] = byType.GetValueOrDefault(g.Type, Figures.None).Plus(figures);
        }

        var days = Enumerable.Range(0, period.Days)
            .Select(n => period.From.PlusDays(n))
            .Select(d => new Day(d, byDay.GetValueOrDefault(DayNumber(d), Figures.None)))
            .ToList();
        var types = Enum.GetValues<OrderType>().Select(t => new ByType(t, byType.GetValueOrDefault(t, Figures.None))).ToList();
        return new Result(period, shop.Currency, total, days, types,
            [.. items.OrderByDescending(i => i.Quantity).ThenByDescending(i => i.Revenue).ThenBy(i => i.Name, StringComparer.Ordinal).Take(TopItems)],
            [.. items.OrderByDescending(i => i.Revenue).ThenByDescending(i => i.Quantity).ThenBy(i => i.Name, StringComparer.Ordinal).Take(TopItems)],
            rejected, rejectedValue, cancelled, cancelledValue, shop.CommissionBasisPoints, members);
    }

    /// <summary>
    /// Quantity and revenue per item over the sold orders, summed from the two covering indexes alone (the lines' names
    /// are not in theirs: reading them took half a second over a year of one shop's 500,000 lines); the names are the
    /// items' own, and for an item since deleted, the name its lines were sold under.
    /// </summary>
    private static async Task<List<ItemSales>> ItemSalesAsync(PlazaDb db, IQueryable<Order> sold, CancellationToken ct)
    {
        var sums = await (
                from o in sold
                join l in db.OrderLines.AsNoTracking() on o.Id equals l.OrderId
                group l by l.ItemId into g
                select new { ItemId = g.Key, Quantity = g.Sum(l => l.Quantity), Revenue = g.Sum(l => l.LineTotal) })
            .ToListAsync(ct);
        var ids = sums.Select(s => s.ItemId).ToList();
        var names = await db.Items.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Name, ct);
        var gone = ids.Where(id => !names.ContainsKey(id)).ToList();
        if (gone.Count > 0)
        {
            var deleted = await (
                    from o in sold
                    join l in db.OrderLines.AsNoTracking() on o.Id equals l.OrderId
                    where gone.Contains(l.ItemId)
                    group l by l.ItemId into g
                    select new { ItemId = g.Key, Name = g.Max(l => l.Name)! })
                .ToListAsync(ct);
            foreach (var item in deleted)
            {
                names[item.ItemId] = item.Name;
            }
        }
        return [.. sums.Select(s => new ItemSales(s.ItemId, names.GetValueOrDefault(s.ItemId, ""), s.Quantity, s.Revenue))];
    }

    private static async Task<MemberFigures> MemberFiguresAsync(PlazaDb db, Shop shop, Period period, int first, int last, long discounts, CancellationToken ct)
    {
        var refunds = await db.OrderRefunds.AsNoTracking().Where(r => r.BusinessDay >= first && r.BusinessDay <= last)
            .GroupBy(r => 1).Select(g => new { Count = g.Count(), Amount = g.Sum(r => r.Amount) }).FirstOrDefaultAsync(ct);
        // Ledger entries carry an instant; the period's days are the shop's, so its bounds are local midnights.
        var zone = new OpeningSchedule(shop).Zone;
        var from = period.From.AtStartOfDayInZone(zone).ToDateTimeUtc();
        var to = period.To.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        // The ledger is the programme's (linked shops share it); this shop's report counts what was paid in at its counter.
        var paidIn = await db.Ledger.AsNoTracking()
            .Where(e => e.PlaceShopId == shop.Id && e.At >= from && e.At < to && (e.Kind == Features.Loyalty.LedgerKind.TopUp || e.Kind == Features.Loyalty.LedgerKind.Bonus))
            .GroupBy(e => e.Kind).Select(g => new { Kind = g.Key, Amount = g.Sum(e => e.Amount) }).ToListAsync(ct);
        return new MemberFigures(discounts, refunds?.Count ?? 0, refunds?.Amount ?? 0,
            paidIn.Where(p => p.Kind == Features.Loyalty.LedgerKind.TopUp).Sum(p => p.Amount),
            paidIn.Where(p => p.Kind == Features.Loyalty.LedgerKind.Bonus).Sum(p => p.Amount));
    }

    /// <summary>A local date as the yyyymmdd number orders are stored under.</summary>
    public static int DayNumber(LocalDate date) => (date.Year * 10000) + (date.Month * 100) + date.Day;

    public static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
