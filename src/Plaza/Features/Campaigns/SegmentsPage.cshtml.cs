using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Campaigns;

/// <summary>The owner's customers at a glance: who bought, how many came back, and the RFM segments they fall into.</summary>
[OwnerOnly]
public sealed class SegmentsPageModel(PlazaDb db, ShopScope scope, TimeProvider clock) : PageModel
{
    public Catalog.Shop Shop => scope.Current;

    /// <summary>One segment's row: how many, their share, and what they average.</summary>
    public sealed record Row(RfmSegment Segment, int Customers, double Share, double Orders, long Spend);

    public int Customers { get; private set; }
    public int Members { get; private set; }
    public int Returning { get; private set; }
    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public string Money(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    public static string Percent(double share) => share.ToString("P0", System.Globalization.CultureInfo.CurrentCulture);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var scores = await Rfm.ScoreShopAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        Customers = scores.Count;
        Members = scores.Count(s => s.Customer.MemberId is not null);
        Returning = scores.Count(s => s.Customer.Orders > 1);
        Rows = [.. Enum.GetValues<RfmSegment>().Select(segment =>
        {
            var inIt = scores.Where(s => s.Segment == segment).Select(s => s.Customer).ToList();
            return new Row(segment, inIt.Count, Customers == 0 ? 0 : (double)inIt.Count / Customers,
                inIt.Count == 0 ? 0 : inIt.Average(c => c.Orders), inIt.Count == 0 ? 0 : (long)Math.Round(inIt.Average(c => c.Spend)));
        })];
    }

    /// <summary>The segment's name and what puts a customer in it, to be translated.</summary>
    public static (string Name, string Rule) Words(RfmSegment segment) => segment switch
    {
        RfmSegment.New => (Text.Key("New"), Text.Key("One order, in the last 30 days.")),
        RfmSegment.AtRisk => (Text.Key("At risk"), Text.Key("Ordered more often or spent more than most, but not lately.")),
        RfmSegment.Lapsed => (Text.Key("Lapsed"), Text.Key("Have not ordered for much longer than most.")),
        RfmSegment.BigSpenders => (Text.Key("Big spenders"), Text.Key("Spent far more than most, and ordered lately.")),
        RfmSegment.Loyal => (Text.Key("Loyal"), Text.Key("Order more often than most, and lately.")),
        _ => (Text.Key("Regular"), Text.Key("Everyone else who has bought.")),
    };
}
