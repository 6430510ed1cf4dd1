using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Loyalty;
using Plaza.Features.Mail;
using Plaza.Features.Members;

namespace Plaza.Features.Campaigns;

public sealed class CampaignOptions
{
    /// <summary>How often due campaigns are looked for; zero turns the sweep off (tests call it themselves).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A member is sent at most one campaign in this many days; one sent another within it is left out of the next.</summary>
    public int CapDays { get; set; } = 7;
}

/// <summary>
/// Sends each campaign once its time has come: claims it with a conditional update (<see cref="Campaign.SentAt"/>), draws
/// its audience (members of the segment who agreed to offers and were sent no campaign in the cap's days), holds out its
/// share at random with the campaign's seed, and, in the same transaction, gives each treated member a single-use code and
/// queues their e-mail in the outbox. A crash before the commit leaves the campaign unsent, to be drawn again whole; after
/// it nothing is drawn twice (and the unique member per campaign would refuse it), so a member receives a campaign at most
/// once however often the sweep runs, however many processes run it, and across restarts.
/// </summary>
public sealed partial class CampaignSender(IServiceProvider services, TimeProvider clock, CampaignOptions options, ILogger<CampaignSender> log) : BackgroundService
{
    private readonly WakeSignal wake = new();

    /// <summary>Looks for due campaigns now (one was made to go at once), not at the next tick.</summary>
    public void Wake() => wake.Ring();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => options.Interval <= TimeSpan.Zero ? Task.CompletedTask
        : Federation.WorkLoop.RunAsync(SweepAsync, async (poll, ct) => await wake.WaitAsync(poll, ct), options.Interval, clock, e => LogSweepFailed(log, e), stoppingToken);

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    /// <summary>Sends every campaign now due in every shop; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(int ShopId, int Id)> due;
        await using (var scope = services.CreateAsyncScope())
        {
            // Spans shops on purpose: the sweep is the node's; each campaign is then sent in its shop's scope.
            due = [.. (await scope.ServiceProvider.GetRequiredService<PlazaDb>().Campaigns.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
                .Where(c => c.SentAt == null && c.SendAt <= now).Select(c => new { c.ShopId, c.Id }).ToListAsync(ct)).Select(c => (c.ShopId, c.Id))];
        }
        var sent = 0;
        foreach (var (shopId, id) in due)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == shopId, ct);
            scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
            if (await SendAsync(db, scope.ServiceProvider.GetRequiredService<Outbox>(), scope.ServiceProvider.GetRequiredService<PublicOrigin>(), shop, id, now, ct))
            {
                sent++;
            }
        }
        return sent;
    }

    private async Task<bool> SendAsync(PlazaDb db, Outbox outbox, PublicOrigin origin, Shop shop, int id, DateTime now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Campaigns.Where(c => c.Id == id && c.SentAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.SentAt, now), ct) == 0)
        {
            return false; // another process sent it first
        }
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id, ct);
        var coupon = await db.Coupons.AsNoTracking().SingleAsync(c => c.Id == campaign.CouponId, ct);
        var audience = await AudienceAsync(db, shop, campaign, now, ct);
        var (treated, holdout) = Draw(audience.Select(m => m.Id).ToList(), campaign.HoldoutPercent, campaign.Seed);
        var members = audience.ToDictionary(m => m.Id);
        var rows = new List<(CampaignRecipient Row, CouponCode? Code, OutboxMail? Mail)>();
        foreach (var memberId in treated)
        {
            var member = members[memberId];
            var code = new CouponCode { ShopId = shop.Id, CouponId = coupon.Id, Code = CouponCode.NewCode(), MemberId = memberId, IssuedAt = now };
            db.CouponCodes.Add(code);
            rows.Add((new CampaignRecipient { ShopId = shop.Id, CampaignId = id, MemberId = memberId, Group = CampaignGroup.Treated, DrawnAt = now }, code,
                outbox.Add(member.Email!, campaign.Subject, OfferBody(member, campaign.Message, coupon, code, shop, origin))));
        }
        rows.AddRange(holdout.Select(memberId => (new CampaignRecipient { ShopId = shop.Id, CampaignId = id, MemberId = memberId, Group = CampaignGroup.Holdout, DrawnAt = now }, (CouponCode?)null, (OutboxMail?)null)));
        await db.SaveChangesAsync(ct);
        foreach (var (row, code, mail) in rows)
        {
            (row.CouponCodeId, row.MailId) = (code?.Id, mail?.Id);
            db.CampaignRecipients.Add(row);
        }
        await db.SaveChangesAsync(ct);
        await outbox.CommitAsync(tx, ct);
        LogSent(log, id, shop.Id, treated.Count, holdout.Count);
        return true;
    }

    /// <summary>
    /// An offer's e-mail in the member's language: the shop's message as the owner wrote it, the member's own code, where to
    /// order, and why they get it and how to stop it.
    /// </summary>
    public static string OfferBody(Member member, string message, Coupon coupon, CouponCode code, Shop shop, PublicOrigin origin) =>
        Outbox.In(member.Language, () => message + "\n\n"
            + Text.Say("Your own code for {0}: {1}", coupon.Name, code.Code) + "\n" + Text.Say("Order at {0}", origin.Link($"/s/{shop.Slug}")) + "\n\n"
            + Text.Say("You get offers from {0} because you asked for them. To stop them: {1}", shop.Name, origin.Link($"/s/{shop.Slug}/me")));

    /// <summary>
    /// Who a campaign may go to: members with an e-mail address who agreed to offers, in the campaign's segment (the owner's
    /// own segment's rules today, or their customer's RFM score), and sent no other campaign within the cap's days. Ordered by id, so the draw depends on the seed alone.
    /// </summary>
    public async Task<List<Member>> AudienceAsync(PlazaDb db, Shop shop, Campaign campaign, DateTime now, CancellationToken ct)
    {
        var capped = now.AddDays(-options.CapDays);
        var recent = db.CampaignRecipients.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(r => r.Group == CampaignGroup.Treated && r.DrawnAt > capped && r.CampaignId != campaign.Id).Select(r => r.MemberId);
        var members = await db.Members.AsNoTracking()
            .Where(m => m.Email != null && m.MarketingConsentAt != null && !recent.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync(ct);
        if (campaign.SegmentId is { } segmentId)
        {
            // The owner's segment as it stands at the send time (a segment removed since leaves no one).
            var rules = await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == segmentId, ct);
            var inIt = rules is null ? [] : (await rules.MembersAsync(db, new OpeningSchedule(shop).Zone, now, ct)).Members.ToHashSet();
            return [.. members.Where(m => inIt.Contains(m.Id))];
        }
        if (campaign.Segment is not { } segment)
        {
            return members;
        }
        var wanted = (await Rfm.ScoreShopAsync(db, now, ct)).Where(s => s.Segment == segment && s.Customer.MemberId is not null)
            .Select(s => s.Customer.MemberId!.Value).ToHashSet();
        return [.. members.Where(m => wanted.Contains(m.Id))];
    }

    /// <summary>
    /// The hold-out draw: the audience (in id order) shuffled with <paramref name="seed"/> (Fisher–Yates), the first
    /// ⌈n × percent / 100⌉ held out. The same audience and seed always give the same groups.
    /// </summary>
    public static (List<long> Treated, List<long> Holdout) Draw(List<long> audience, int percent, int seed)
    {
        var shuffled = audience.ToArray();
        var random = new Random(seed);
        for (var i = shuffled.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }
        var held = (int)Math.Ceiling(shuffled.Length * percent / 100.0);
        return ([.. shuffled.Skip(held)], [.. shuffled.Take(held)]);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The campaign sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Id} of shop {ShopId} sent to {Treated}, {Holdout} held out")]
    private static partial void LogSent(ILogger logger, int id, int shopId, int treated, int holdout);
}
