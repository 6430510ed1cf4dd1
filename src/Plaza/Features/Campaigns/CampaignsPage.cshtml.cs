using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime.Text;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Loyalty;

namespace Plaza.Features.Campaigns;

/// <summary>The owner's campaigns: each one's audience and how it went, and a form for a new one.</summary>
[OwnerOnly]
public sealed class CampaignsPageModel(PlazaDb db, ShopScope scope, TimeProvider clock, CampaignSender sender, CampaignOptions options) : PageModel
{
    public Catalog.Shop Shop => scope.Current;
    public List<(Campaign Campaign, int Treated, int Holdout)> Campaigns { get; private set; } = [];
    public List<Coupon> Coupons { get; private set; } = [];
    /// <summary>Members who agreed to offers and have an address, in each segment (<see cref="Consenting"/>: all of them).</summary>
    public Dictionary<RfmSegment, int> Sizes { get; private set; } = [];
    public int Consenting { get; private set; }
    /// <summary>The owner's own segments with the members a campaign could reach in each today.</summary>
    public List<(Segment Segment, int Reachable)> Saved { get; private set; } = [];
    public int CapDays => options.CapDays;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var counts = await db.CampaignRecipients.AsNoTracking().GroupBy(r => new { r.CampaignId, r.Group })
            .Select(g => new { g.Key.CampaignId, g.Key.Group, Count = g.Count() }).ToListAsync(ct);
        Campaigns = [.. (await db.Campaigns.AsNoTracking().OrderByDescending(c => c.Id).ToListAsync(ct)).Select(c => (c,
            counts.Where(x => x.CampaignId == c.Id && x.Group == CampaignGroup.Treated).Sum(x => x.Count),
            counts.Where(x => x.CampaignId == c.Id && x.Group == CampaignGroup.Holdout).Sum(x => x.Count)))];
        Coupons = await db.Coupons.AsNoTracking().Where(c => c.WithdrawnAt == null && c.SharedCode == null).OrderBy(c => c.Name).ToListAsync(ct);
        var consenting = (await db.Members.AsNoTracking().Where(m => m.Email != null && m.MarketingConsentAt != null).Select(m => m.Id).ToListAsync(ct)).ToHashSet();
        Consenting = consenting.Count;
        var zone = new Catalog.OpeningSchedule(Shop).Zone;
        foreach (var saved in await db.Segments.AsNoTracking().OrderBy(x => x.Name).ToListAsync(ct))
        {
            Saved.Add((saved, (await saved.MembersAsync(db, zone, now, ct)).Reachable.Count));
        }
        Sizes = (await Rfm.ScoreShopAsync(db, now, ct)).Where(s => s.Customer.MemberId is { } member && consenting.Contains(member))
            .GroupBy(s => s.Segment).ToDictionary(g => g.Key, g => g.Count());
    }

    public async Task<IActionResult> OnPostAsync(string? name, string? segment, int? coupon, string? subject, string? message, int? holdout,
        string? date, string? time, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new List<string>();
        // The owner's own words, kept as typed (full-width punctuation included); only the send time is parsed.
        name = (name ?? "").Trim();
        subject = (subject ?? "").Trim();
        message = (message ?? "").Trim();
        if (name.Length is 0 or > 100)
        {
            errors.Add(Text.Say("Give the campaign a name of at most 100 characters."));
        }
        if (subject.Length is 0 or > 150 || message.Length is 0 or > 2000)
        {
            errors.Add(Text.Say("Write a subject (at most 150 characters) and a message (at most 2000)."));
        }
        RfmSegment? chosen = null;
        int? savedId = null;
        if (segment is ['s', .. var digits] && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && await db.Segments.AnyAsync(x => x.Id == id, ct))
        {
            savedId = id; // the owner's own segment: "s" and its id
        }
        else if (!string.IsNullOrEmpty(segment))
        {
            if (Enum.TryParse<RfmSegment>(segment, out var parsed) && Enum.IsDefined(parsed))
            {
                chosen = parsed;
            }
            else
            {
                errors.Add(Text.Say("Choose a segment from the list."));
            }
        }
        if (coupon is not { } couponId || !await db.Coupons.AnyAsync(c => c.Id == couponId && c.WithdrawnAt == null && c.SharedCode == null, ct))
        {
            errors.Add(Text.Say("Choose one of the shop's coupons without a shared code: each member gets a code of their own."));
        }
        if (holdout is not (>= 0 and <= 50))
        {
            errors.Add(Text.Say("Hold out between 0 and 50 %."));
        }
        var sendAt = SendTime(date, time, now);
        if (sendAt is null)
        {
            errors.Add(Text.Say("Give the send time as a date and a time, or leave both empty to send now."));
        }
        if (errors.Count > 0)
        {
            TempData["Flash"] = string.Join(" ", errors);
            return Redirect($"/console/{Shop.Slug}/campaigns");
        }
        var campaign = new Campaign
        {
            ShopId = Shop.Id,
            Name = name,
            Segment = chosen,
            SegmentId = savedId,
            CouponId = coupon!.Value,
            Subject = subject,
            Message = message,
            HoldoutPercent = holdout!.Value,
            SendAt = sendAt!.Value,
            Seed = RandomNumberGenerator.GetInt32(int.MaxValue),
            CreatedAt = now,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        if (campaign.SendAt <= now)
        {
            sender.Wake();
        }
        TempData["Flash"] = campaign.SendAt <= now ? Text.Say("Campaign made; it is being sent.") : Text.Say("Campaign made; it is sent at {0}.", Catalog.OpeningSchedule.Local(Shop, campaign.SendAt, "yyyy-MM-dd HH:mm"));
        return Redirect($"/console/{Shop.Slug}/campaigns");
    }

    /// <summary>The send time typed in the shop's time zone, in UTC; now when both are empty; null when it cannot be read.</summary>
    private DateTime? SendTime(string? date, string? time, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(date) && string.IsNullOrWhiteSpace(time))
        {
            return now;
        }
        var local = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm").Parse($"{Typed.Plain(date).Trim()} {Typed.Plain(time).Trim()}");
        if (!local.Success)
        {
            return null;
        }
        var at = local.Value.InZoneLeniently(new Catalog.OpeningSchedule(Shop).Zone).ToDateTimeUtc();
        return at < now ? now : at;
    }

    /// <summary>Whom a campaign went to, in the reader's language.</summary>
    public string Audience(Campaign campaign) =>
        campaign.SegmentId is { } id ? Saved.FirstOrDefault(x => x.Segment.Id == id).Segment?.Name ?? Text.Say("a removed segment")
        : Text.Say(campaign.Segment is { } s ? SegmentsPageModel.Words(s).Name : Text.Key("All members who agreed to offers"));

    public string Local(DateTime utc) => Catalog.OpeningSchedule.Local(Shop, utc, "yyyy-MM-dd HH:mm");

    public static string Number(int n) => n.ToString(CultureInfo.CurrentCulture);
}
