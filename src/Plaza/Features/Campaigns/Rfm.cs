using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Campaigns;

/// <summary>The named groups RFM scoring sorts a shop's customers into (each customer is in exactly one).</summary>
public enum RfmSegment
{
    /// <summary>One order, placed in the last <see cref="Rfm.NewDays"/> days.</summary>
    New,
    /// <summary>Ordered more often or spent more than the shop's typical customer, but not lately.</summary>
    AtRisk,
    /// <summary>Not lately, and never much: the ones a win-back is for.</summary>
    Lapsed,
    /// <summary>Spent far more than the shop's typical customer.</summary>
    BigSpenders,
    /// <summary>Orders more often than the typical customer, and lately.</summary>
    Loyal,
    /// <summary>Everyone else.</summary>
    Regular,
}

/// <summary>One customer's standardised scores: how many standard deviations above the shop's mean they stand.</summary>
/// <param name="Recency">Standardised days since the last order, sign turned so that more recent scores higher.</param>
public sealed record RfmScore(RfmInput Customer, double Recency, double Frequency, double Monetary, RfmSegment Segment)
{
    public long CustomerId => Customer.CustomerId;
}

/// <summary>What RFM scoring needs of a customer (<see cref="Customer"/>'s roll-up), and the member they are, if any.</summary>
public sealed record RfmInput(long CustomerId, DateTime FirstOrderAt, DateTime LastOrderAt, int Orders, long Spend, long? MemberId = null);

/// <summary>
/// RFM scoring per shop: recency (whole days since the last order), frequency (orders) and monetary value (spend) are each
/// standardised over the shop's customers who bought (minus the mean, divided by the population standard deviation; 0 when
/// all are equal), so "high" means high for this shop, a tea stall and a banquet hall alike. The named segment follows from
/// the three scores in a fixed order of rules (decision 0026).
/// </summary>
public static class Rfm
{
    public const int NewDays = 30;
    /// <summary>Half a standard deviation: above it a customer stands out from the shop's typical one.</summary>
    public const double Above = 0.5;

    /// <summary>The segment as pages and links name it: lower-case, with hyphens (<c>big-spenders</c>).</summary>
    public static string Code(RfmSegment segment) =>
        System.Text.RegularExpressions.Regex.Replace(segment.ToString(), "(?<=[a-z])(?=[A-Z])", "-").ToLowerInvariant();

    public static IReadOnlyList<RfmScore> Score(IReadOnlyList<RfmInput> customers, DateTime now)
    {
        // Whole days: two orders of the same day are equally recent, not a standard deviation apart for the seconds between them.
        var recency = Standardise(customers.Select(c => -Math.Floor((now - c.LastOrderAt).TotalDays)));
        var frequency = Standardise(customers.Select(c => (double)c.Orders));
        var monetary = Standardise(customers.Select(c => (double)c.Spend));
        return [.. customers.Select((c, i) => new RfmScore(c, recency[i], frequency[i], monetary[i],
            SegmentOf(c, recency[i], frequency[i], monetary[i], now)))];
    }

    /// <summary>The first rule that holds names the segment.</summary>
    public static RfmSegment SegmentOf(RfmInput customer, double recency, double frequency, double monetary, DateTime now) =>
        customer.Orders == 1 && now - customer.FirstOrderAt <= TimeSpan.FromDays(NewDays) ? RfmSegment.New
        : recency < 0 && (frequency >= Above || monetary >= Above) ? RfmSegment.AtRisk
        : recency <= -Above ? RfmSegment.Lapsed
        : monetary >= 1 ? RfmSegment.BigSpenders
        : frequency >= Above ? RfmSegment.Loyal
        : RfmSegment.Regular;

    /// <summary>(x − mean) / σ for each value, σ the population standard deviation; all 0 when σ is 0.</summary>
    public static double[] Standardise(IEnumerable<double> values)
    {
        var xs = values.ToArray();
        if (xs.Length == 0)
        {
            return [];
        }
        var mean = xs.Average();
        var sd = Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / xs.Length);
        return [.. xs.Select(x => sd == 0 ? 0 : (x - mean) / sd)];
    }

    /// <summary>Every customer of the scoped shop who has bought, scored.</summary>
    public static async Task<IReadOnlyList<RfmScore>> ScoreShopAsync(PlazaDb db, DateTime now, CancellationToken ct)
    {
        var customers = await db.Customers.AsNoTracking().Where(c => c.Orders > 0 && c.FirstOrderAt != null && c.LastOrderAt != null)
            .Select(c => new RfmInput(c.Id, c.FirstOrderAt!.Value, c.LastOrderAt!.Value, c.Orders, c.Spend, c.MemberId)).ToListAsync(ct);
        return Score(customers, now);
    }
}
