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
        var memberIds = recipients.Select(r => r.MemberId).ToList();
        // A member's orders: placed signed in, or counted to the customer the member is (a guest order with their phone).
        var customerOf = await db.Customers.AsNoTracking().Where(c => c.MemberId != null && memberIds.Contains(c.MemberId.Value))
            .ToDictionaryAsync(c => c.Id, c => c.MemberId!.Value, ct);
        var customerIds = customerOf.Keys.ToList();
        var orders = await CustomerBook.Counted(db.Orders.AsNoTracking())
            .Where(o => o.PlacedAt >= from && o.PlacedAt < to
                && ((o.MemberId != null && memberIds.Contains(o.MemberId.Value)) || (o.CustomerId != null && customerIds.Contains(o.CustomerId.Value))))
            .Select(o => new { o.MemberId, o.CustomerId, Revenue = o.Total - o.RefundedTotal }).ToListAsync(ct);
        var byMember = orders.GroupBy(o => o.MemberId ?? customerOf[o.CustomerId!.Value])
            .ToDictionary(g => g.Key, g => (Orders: g.Count(), Revenue: g.Sum(o => o.Revenue)));
        List<(int Orders, long Revenue)> Values(CampaignGroup group) =>
            [.. recipients.Where(r => r.Group == group).Select(r => byMember.TryGetValue(r.MemberId, out var v) ? v : (0, 0L))];
        var treated = Values(CampaignGroup.Treated);
        var holdout = Values(CampaignGroup.Holdout);

        var mailIds = recipients.Where(r => r.MailId != null).Select(r => r.MailId!.Value).ToList();
        var delivered = await db.OutboxMails.CountAsync(m => mailIds.Contains(m.Id) && m.SentAt != null, ct);
        var codeIds = recipients.Where(r => r.CouponCodeId != null).Select(r => r.CouponCodeId!.Value).ToList();
        var used = await db.CouponCodes.AsNoTracking().Where(c => codeIds.Contains(c.Id) && c.UsedByOrderId != null).Select(c => c.UsedByOrderId!.Value).ToListAsync(ct);
        var discounts = await db.Orders.AsNoTracking().Where(o => used.Contains(o.Id)).SumAsync(o => (long?)o.Discount, ct) ?? 0;

        static double Mean(IEnumerable<double> xs) => xs.DefaultIfEmpty(0).Average();
        return new CampaignResult(campaign, from, to, treated.Count, holdout.Count, delivered, used.Count,
            Mean(treated.Select(v => (double)v.Orders)), Mean(holdout.Select(v => (double)v.Orders)),
            Mean(treated.Select(v => (double)v.Revenue)), Mean(holdout.Select(v => (double)v.Revenue)),
            Lift.Welch([.. treated.Select(v => (double)v.Revenue)], [.. holdout.Select(v => (double)v.Revenue)]), discounts);
    }
}
