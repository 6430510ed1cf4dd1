using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Campaigns;

/// <summary>
/// The owner's customers at a glance: who bought, how many came back, the RFM segments they fall into, and the owner's own
/// segments by rules, each with its size today (counted live as the rules are typed).
/// </summary>
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

    /// <summary>The owner's own segments, each with the members in it today and of them those a campaign can reach.</summary>
    public List<(Segment Segment, int Members, int Reachable)> Saved { get; private set; } = [];
    public List<Loyalty.Tier> Tiers { get; private set; } = [];
    public List<Channels.Channel> Channels { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await ChoicesAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = new Catalog.OpeningSchedule(Shop).Zone;
        foreach (var segment in await db.Segments.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct))
        {
            var (members, reachable) = await segment.MembersAsync(db, zone, now, ct);
            Saved.Add((segment, members.Count, reachable.Count));
        }
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

    /// <summary>How many members the rules typed so far hold for today, and how many of them a campaign can reach; a problem detail for rules that cannot be read.</summary>
    public async Task<IActionResult> OnGetSizeAsync([FromQuery] SegmentForm form, CancellationToken ct)
    {
        await ChoicesAsync(ct);
        var (segment, errors) = Read(form, named: false);
        if (segment is null)
        {
            return new ObjectResult(new ValidationProblemDetails(errors) { Title = Text.Say("These rules cannot be read."), Status = 400 }) { StatusCode = 400, ContentTypes = { "application/problem+json" } };
        }
        var (members, reachable) = await segment.MembersAsync(db, new Catalog.OpeningSchedule(Shop).Zone, clock.GetUtcNow().UtcDateTime, ct);
        return new JsonResult(new { members = members.Count, reachable = reachable.Count, text = Size(members.Count, reachable.Count) });
    }

    public async Task<IActionResult> OnPostAsync([FromForm] SegmentForm form, CancellationToken ct)
    {
        await ChoicesAsync(ct);
        var (segment, errors) = Read(form, named: true);
        if (segment is not null && await db.Segments.AnyAsync(s => s.Name == segment.Name, ct))
        {
            errors["name"] = [Text.Say("The shop has a segment of that name already.")];
        }
        if (segment is null || errors.Count > 0)
        {
            TempData["Flash"] = string.Join(" ", errors.Values.SelectMany(e => e));
            return Redirect($"/console/{Shop.Slug}/segments#new-segment");
        }
        segment.CreatedAt = clock.GetUtcNow().UtcDateTime;
        db.Segments.Add(segment);
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = Text.Say("Segment saved: choose it as a campaign's audience.");
        return Redirect($"/console/{Shop.Slug}/segments#rule-segments");
    }

    /// <summary>Removes a segment no campaign has chosen (a campaign keeps the audience it was made for).</summary>
    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (await db.Campaigns.AnyAsync(c => c.SegmentId == id, ct))
        {
            TempData["Flash"] = Text.Say("A campaign was made for this segment, so it stays.");
        }
        else if (await db.Segments.Where(s => s.Id == id).ExecuteDeleteAsync(ct) > 0)
        {
            TempData["Flash"] = Text.Say("Segment removed.");
        }
        return Redirect($"/console/{Shop.Slug}/segments#rule-segments");
    }

    private async Task ChoicesAsync(CancellationToken ct)
    {
        Tiers = await db.Tiers.AsNoTracking().OrderBy(t => t.Threshold).ToListAsync(ct);
        Channels = await db.Channels.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
    }

    private (Segment? Segment, Dictionary<string, string[]> Errors) Read(SegmentForm form, bool named) =>
        form.Read(Shop.Id, Shop.Currency, [.. Tiers.Select(t => t.Id)], [.. Channels.Select(c => c.Id)], named);

    public static string Size(int members, int reachable) => Text.Say("{0} members now; {1} of them agreed to offers and have an address.", members, reachable);

    /// <summary>The segment's rules as short clauses, in the reader's language.</summary>
    public IEnumerable<string> Clauses(Segment s)
    {
        if (s.MinDaysSinceOrder is { } min)
        {
            yield return Text.Say("last order {0} days ago or more", min);
        }
        if (s.MaxDaysSinceOrder is { } max)
        {
            yield return Text.Say("last order within {0} days", max);
        }
        if (s.MinOrders is { } least)
        {
            yield return Text.Say("at least {0} orders in {1} days", least, s.WindowDays);
        }
        if (s.MaxOrders is { } most)
        {
            yield return Text.Say("at most {0} orders in {1} days", most, s.WindowDays);
        }
        if (s.MinSpend is { } spend)
        {
            yield return Text.Say("spent at least {0} in {1} days", Money(spend), s.WindowDays);
        }
        if (s.TierId is { } tier)
        {
            yield return Text.Say("holds the tier {0}", Tiers.FirstOrDefault(t => t.Id == tier)?.Name ?? "?");
        }
        if (s.ChannelId is { } channel)
        {
            yield return Text.Say("first ordered through {0}", Channels.FirstOrDefault(c => c.Id == channel)?.Name ?? "?");
        }
        if (s.Consent != SegmentConsent.Any)
        {
            yield return s.Consent == SegmentConsent.Agreed ? Text.Say("agreed to offers") : Text.Say("did not agree to offers");
        }
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
