using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;
using Plaza.Features.Sales;

namespace Plaza.Features.Channels;

/// <summary>
/// What each channel brought in a period of the shop's local days: visits, orders, conversion, revenue
/// and average order, by last touch (the channel of the visit the order was placed in) or first touch.
/// An order through a share link counts for the channel at the top of its share tree, and for the link
/// itself among the referrers; the tree's reach is shown per generation. Rejected and cancelled
/// orders count for nothing, as in the sales report.
/// </summary>
public static class ChannelReport
{
    /// <summary>A channel's figures; for a referring share link, <see cref="Root"/> is the channel its tree grew from.</summary>
    public sealed record Row(int? ChannelId, ChannelKind? Kind, string Code, string Name, int Depth, long Visits, int Orders, long Revenue, int ViaShares, Row? Root = null)
    {
        /// <summary>Orders per hundred visits; null when the channel's visits are not counted (direct orders) or none were.</summary>
        public double? ConversionPercent => Visits == 0 ? null : 100.0 * Orders / Visits;

        public long AverageOrder => Orders == 0 ? 0 : MoneyRounding.Divide(Revenue, Orders);

        public Row Plus(long visits, int orders, long revenue, int viaShares) =>
            this with { Visits = Visits + visits, Orders = Orders + orders, Revenue = Revenue + revenue, ViaShares = ViaShares + viaShares };
    }

    /// <summary>One generation of a share tree: links shared at that depth, their visits and orders.</summary>
    public sealed record Generation(int Depth, int Links, long Visits, int Orders, long Revenue);

    public sealed record Result(SalesReport.Period Period, string Currency, bool FirstTouch, IReadOnlyList<Row> Channels, IReadOnlyList<Row> Tables,
        Row Direct, IReadOnlyList<Row> Referrers, IReadOnlyList<Generation> Generations, int RewardBasisPoints)
    {
        /// <summary>What a referring link earned: the shop's reward on the orders it brought itself, none on those of links shared from it.</summary>
        public long Reward(Row referrer) => PlatformCommission.On(referrer.Revenue, RewardBasisPoints);
    }

    public const int MaxReferrers = 50;

    /// <summary>Runs the report for the shop in scope (PlazaDb's shop filter keeps other shops' rows out).</summary>
    public static async Task<Result> RunAsync(PlazaDb db, Shop shop, SalesReport.Period period, bool firstTouch, CancellationToken ct)
    {
        var first = SalesReport.DayNumber(period.From);
        var last = SalesReport.DayNumber(period.To);
        Expression<Func<Order, int?>> touch = firstTouch ? o => o.FirstChannelId : o => o.LastChannelId;
        var orders = (await db.Orders.AsNoTracking()
                .Where(o => o.BusinessDay >= first && o.BusinessDay <= last && o.Status != OrderStatus.Rejected && o.Status != OrderStatus.Cancelled)
                .GroupBy(touch)
                .Select(g => new { ChannelId = g.Key, Count = g.Count(), Revenue = g.Sum(o => o.Total) })
                .ToListAsync(ct))
            .ToDictionary(g => g.ChannelId ?? 0, g => (g.Count, g.Revenue));
        var visits = (await db.ChannelVisits.AsNoTracking()
                .Where(v => v.Day >= first && v.Day <= last)
                .GroupBy(v => v.ChannelId)
                .Select(g => new { ChannelId = g.Key, Count = g.Sum(v => v.Count) })
                .ToListAsync(ct))
            .ToDictionary(g => g.ChannelId, g => g.Count);
        var active = orders.Keys.Concat(visits.Keys).Where(id => id != 0).Distinct().ToList();
        var channels = await db.Channels.AsNoTracking().Where(c => c.Kind != ChannelKind.Share || active.Contains(c.Id)).ToListAsync(ct);
        var linksPerDepth = await db.Channels.AsNoTracking().Where(c => c.Kind == ChannelKind.Share)
            .GroupBy(c => c.Depth).Select(g => new { Depth = g.Key, Count = g.Count() }).ToListAsync(ct);

        var rows = channels.Where(c => c.Kind != ChannelKind.Share).ToDictionary(c => c.Id, c => new Row(c.Id, c.Kind, c.Code, c.Name, 0, 0, 0, 0, 0));
        var (directOrders, directRevenue) = orders.GetValueOrDefault(0);
        var direct = new Row(null, null, "", "", 0, 0, directOrders, directRevenue, 0);
        var referrers = new List<Row>();
        var generations = new Dictionary<int, Generation>();
        foreach (var channel in channels)
        {
            var (count, revenue) = orders.GetValueOrDefault(channel.Id);
            var seen = visits.GetValueOrDefault(channel.Id);
            if (channel.Kind != ChannelKind.Share)
            {
                rows[channel.Id] = rows[channel.Id].Plus(seen, count, revenue, 0);
                continue;
            }
            // A share link's visits and orders are its root channel's reach.
            if (channel.RootId is { } root && rows.TryGetValue(root, out var top))
            {
                rows[root] = top.Plus(seen, count, revenue, count);
            }
            else
            {
                direct = direct.Plus(0, count, revenue, count);
            }
            var generation = generations.GetValueOrDefault(channel.Depth, new Generation(channel.Depth, 0, 0, 0, 0));
            generations[channel.Depth] = generation with { Visits = generation.Visits + seen, Orders = generation.Orders + count, Revenue = generation.Revenue + revenue };
            if (count > 0)
            {
                referrers.Add(new Row(channel.Id, ChannelKind.Share, channel.Code, channel.Code, channel.Depth, seen, count, revenue, 0,
                    channel.RootId is { } r && rows.TryGetValue(r, out var from) ? from : null));
            }
        }
        foreach (var depth in linksPerDepth)
        {
            generations[depth.Depth] = generations.GetValueOrDefault(depth.Depth, new Generation(depth.Depth, 0, 0, 0, 0)) with { Links = depth.Count };
        }

        IReadOnlyList<Row> Ranked(IEnumerable<Row> list) =>
            [.. list.OrderByDescending(r => r.Orders).ThenByDescending(r => r.Revenue).ThenByDescending(r => r.Visits).ThenBy(r => r.Name, StringComparer.Ordinal)];
        return new Result(period, shop.Currency, firstTouch,
            Ranked(rows.Values.Where(r => r.Kind != ChannelKind.Table)),
            Ranked(rows.Values.Where(r => r.Kind == ChannelKind.Table)),
            direct,
            [.. Ranked(referrers).Take(MaxReferrers)],
            [.. generations.Values.OrderBy(g => g.Depth)],
            shop.ReferralRewardBasisPoints);
    }

    /// <summary>
    /// The report as CSV for a spreadsheet: one row per channel, table and referring link; UTF-8 with a
    /// byte-order mark, so Excel on Chinese Windows reads shop and channel names right.
    /// </summary>
    public static byte[] Csv(Result report)
    {
        var text = new StringBuilder();
        text.Append("kind,code,name,depth,visits,orders,conversion_percent,revenue,average_order,reward\r\n");
        var digits = Currencies.DigitsOf(report.Currency);
        string Amount(long minor) => MenuCsv.Major(minor, digits);
        foreach (var row in report.Channels.Concat(report.Tables).Append(report.Direct).Concat(report.Referrers))
        {
            string[] fields =
            [
                row.Kind?.ToString().ToLowerInvariant() ?? "direct", row.Code, row.Name, row.Depth.ToString(CultureInfo.InvariantCulture),
                row.Visits.ToString(CultureInfo.InvariantCulture), row.Orders.ToString(CultureInfo.InvariantCulture),
                row.ConversionPercent?.ToString("F1", CultureInfo.InvariantCulture) ?? "", Amount(row.Revenue), Amount(row.AverageOrder),
                row.Kind == ChannelKind.Share ? Amount(report.Reward(row)) : "",
            ];
            text.AppendJoin(',', fields.Select(MenuCsv.Quote)).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }
}
