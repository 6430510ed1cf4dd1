using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Campaigns;

/// <summary>
/// What a campaign did over a window after it was sent: how many were mailed, how many mails left the node, how many codes
/// were used; orders and revenue per member in the treated group and in the hold-out; the lift in revenue per member with
/// Welch's 95 % interval; and the incremental revenue (lift × treated members) less the discounts its codes gave.
/// Orders count as the roll-up counts them (completed, less refunds), placed in the window, in the campaign's shop.
/// </summary>
public sealed record CampaignResult(
    Campaign Campaign, DateTime From, DateTime To, int Treated, int Holdout, int Delivered, int Redeemed,
    double TreatedOrders, double HoldoutOrders, double TreatedRevenue, double HoldoutRevenue, Lift? Lift, long Discounts)
{
    /// <summary>Revenue the campaign brought beyond what the treated members would have spent anyway, in minor units.</summary>
    public double Incremental => Lift is null ? 0 : Lift.Difference * Treated;

    /// <summary><see cref="Incremental"/> less what the campaign's codes took off.</summary>
    public double Net => Incremental - Discounts;

    public static async Task<CampaignResult> ForAsync(PlazaDb db, Campaign campaign, int days, CancellationToken ct)
    {
        var from = campaign.SentAt ?? campaign.SendAt;
        var to = from.AddDays(days);
        var recipients = await db.CampaignRecipients.AsNoTracking().Where(r => r.CampaignId == campaign.Id)
            .Select(r => new { r.MemberId, r.Group, r.MailId, r.CouponCodeId }).ToListAsync(ct);
        var (treated, holdout) = await Outcomes.MeasureAsync(db, [.. recipients.Select(r => new Outcomes.Drawn(r.MemberId, r.Group, from))], days, ct);

        var mailIds = recipients.Where(r => r.MailId != null).Select(r => r.MailId!.Value).ToList();
        var delivered = await db.OutboxMails.CountAsync(m => mailIds.Contains(m.Id) && m.SentAt != null, ct);
        var codeIds = recipients.Where(r => r.CouponCodeId != null).Select(r => r.CouponCodeId!.Value).ToList();
        var used = await db.CouponCodes.AsNoTracking().Where(c => codeIds.Contains(c.Id) && c.UsedByOrderId != null).Select(c => c.UsedByOrderId!.Value).ToListAsync(ct);
        var discounts = await db.Orders.AsNoTracking().Where(o => used.Contains(o.Id)).SumAsync(o => (long?)o.Discount, ct) ?? 0;

        return new CampaignResult(campaign, from, to, treated.Count, holdout.Count, delivered, used.Count,
            Outcomes.MeanOrders(treated), Outcomes.MeanOrders(holdout), Outcomes.MeanRevenue(treated), Outcomes.MeanRevenue(holdout),
            Outcomes.Welch(treated, holdout), discounts);
    }
}

/// <summary>
/// What members did after they were drawn into a campaign or a journey: each drawn member's orders and revenue in the
/// <c>days</c> after their own start, as the roll-up counts orders (completed, less refunds), in the scoped shop. A member's
/// orders are those placed signed in and those counted to the customer the member is (a guest order with their phone).
/// </summary>
public static class Outcomes
{
    public readonly record struct Drawn(long MemberId, CampaignGroup Group, DateTime At);

    public readonly record struct Outcome(int Orders, long Revenue);

    public static async Task<(List<Outcome> Treated, List<Outcome> Holdout)> MeasureAsync(PlazaDb db, IReadOnlyList<Drawn> drawn, int days, CancellationToken ct)
    {
        if (drawn.Count == 0)
        {
            return ([], []);
        }
        var memberIds = drawn.Select(d => d.MemberId).Distinct().ToList();
        var (from, to) = (drawn.Min(d => d.At), drawn.Max(d => d.At).AddDays(days));
        var customerOf = await db.Customers.AsNoTracking().Where(c => c.MemberId != null && memberIds.Contains(c.MemberId.Value))
            .ToDictionaryAsync(c => c.Id, c => c.MemberId!.Value, ct);
        var customerIds = customerOf.Keys.ToList();
        var orders = (await CustomerBook.Counted(db.Orders.AsNoTracking())
            .Where(o => o.PlacedAt >= from && o.PlacedAt < to
                && ((o.MemberId != null && memberIds.Contains(o.MemberId.Value)) || (o.CustomerId != null && customerIds.Contains(o.CustomerId.Value))))
            .Select(o => new { o.MemberId, o.CustomerId, o.PlacedAt, Revenue = o.Total - o.RefundedTotal }).ToListAsync(ct))
            .ToLookup(o => o.MemberId ?? customerOf[o.CustomerId!.Value]);
        Outcome Of(Drawn d)
        {
            var mine = orders[d.MemberId].Where(o => o.PlacedAt >= d.At && o.PlacedAt < d.At.AddDays(days)).ToList();
            return new Outcome(mine.Count, mine.Sum(o => o.Revenue));
        }
        return ([.. drawn.Where(d => d.Group == CampaignGroup.Treated).Select(Of)], [.. drawn.Where(d => d.Group == CampaignGroup.Holdout).Select(Of)]);
    }

    public static double MeanOrders(List<Outcome> group) => group.Select(v => (double)v.Orders).DefaultIfEmpty(0).Average();

    public static double MeanRevenue(List<Outcome> group) => group.Select(v => (double)v.Revenue).DefaultIfEmpty(0).Average();

    /// <summary>The lift in revenue per member, treated less held out, with Welch's 95 % interval; null when a group has fewer than two.</summary>
    public static Lift? Welch(List<Outcome> treated, List<Outcome> holdout) =>
        Lift.Welch([.. treated.Select(v => (double)v.Revenue)], [.. holdout.Select(v => (double)v.Revenue)]);
}
