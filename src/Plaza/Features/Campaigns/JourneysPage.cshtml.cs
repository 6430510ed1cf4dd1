using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Loyalty;

namespace Plaza.Features.Campaigns;

/// <summary>The owner's automated journeys (welcome, win-back, birthday): each one's offer and message, and how it is doing.</summary>
[OwnerOnly]
public sealed class JourneysPageModel(PlazaDb db, ShopScope scope, TimeProvider clock, JourneyOptions options) : PageModel
{
    /// <summary>Orders are measured over this many days after each member entered.</summary>
    public const int Days = 30;

    public sealed record Row(JourneyKind Kind, Journey? Journey, int Entered, int Mailed, int HeldOut, int Redeemed,
        double TreatedRevenue, double HoldoutRevenue, Lift? Lift);

    public Catalog.Shop Shop => scope.Current;
    public List<Row> Rows { get; private set; } = [];
    public List<Coupon> Coupons { get; private set; } = [];
    public int SendHour => options.SendHour;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Coupons = await db.Coupons.AsNoTracking().Where(c => c.WithdrawnAt == null && c.SharedCode == null).OrderBy(c => c.Name).ToListAsync(ct);
        var journeys = await db.Journeys.AsNoTracking().ToDictionaryAsync(j => j.Kind, ct);
        var entries = await db.JourneyEntries.AsNoTracking().Select(e => new { e.JourneyId, e.MemberId, e.Group, e.At, e.CouponCodeId }).ToListAsync(ct);
        var codeIds = entries.Where(e => e.CouponCodeId != null).Select(e => e.CouponCodeId!.Value).ToList();
        var used = (await db.CouponCodes.AsNoTracking().Where(c => codeIds.Contains(c.Id) && c.UsedByOrderId != null).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
        foreach (var kind in Enum.GetValues<JourneyKind>())
        {
            var journey = journeys.GetValueOrDefault(kind);
            var mine = journey is null ? [] : entries.Where(e => e.JourneyId == journey.Id).ToList();
            var (treated, holdout) = await Outcomes.MeasureAsync(db, [.. mine.Select(e => new Outcomes.Drawn(e.MemberId, e.Group, e.At))], Days, ct);
            Rows.Add(new Row(kind, journey, mine.Count, treated.Count, holdout.Count, mine.Count(e => e.CouponCodeId is { } id && used.Contains(id)),
                Outcomes.MeanRevenue(treated), Outcomes.MeanRevenue(holdout), Outcomes.Welch(treated, holdout)));
        }
    }

    public async Task<IActionResult> OnPostAsync(string? kind, bool on, int? coupon, string? subject, string? message, string? days, string? holdout, CancellationToken ct)
    {
        var (dayCount, held) = (Typed.Whole(days), Typed.Whole(holdout));
        if (!Enum.TryParse<JourneyKind>(kind, out var chosen) || !Enum.IsDefined(chosen))
        {
            return BadRequest();
        }
        var errors = new List<string>();
        // The owner's own words, kept as typed (full-width punctuation included).
        subject = (subject ?? "").Trim();
        message = (message ?? "").Trim();
        if (subject.Length is 0 or > 150 || message.Length is 0 or > 2000)
        {
            errors.Add(Text.Say("Write a subject (at most 150 characters) and a message (at most 2000)."));
        }
        if (coupon is not { } couponId || !await db.Coupons.AnyAsync(c => c.Id == couponId && c.WithdrawnAt == null && c.SharedCode == null, ct))
        {
            errors.Add(Text.Say("Choose one of the shop's coupons without a shared code: each member gets a code of their own."));
        }
        if (held is not (>= 0 and <= 50))
        {
            errors.Add(Text.Say("Hold out between 0 and 50 %."));
        }
        if (chosen == JourneyKind.WinBack && dayCount is not (>= 14 and <= 365))
        {
            errors.Add(Text.Say("Win back after between 14 and 365 days without an order."));
        }
        if (errors.Count > 0)
        {
            TempData["Flash"] = string.Join(" ", errors);
            return Redirect($"/console/{Shop.Slug}/journeys#journey-{Code(chosen)}");
        }
        var journey = await db.Journeys.FirstOrDefaultAsync(j => j.Kind == chosen, ct);
        if (journey is null)
        {
            journey = new Journey { ShopId = Shop.Id, Kind = chosen, Subject = subject, Message = message };
            db.Journeys.Add(journey);
        }
        journey.CouponId = coupon!.Value;
        (journey.Subject, journey.Message, journey.HoldoutPercent) = (subject, message, held!.Value);
        journey.Days = chosen == JourneyKind.WinBack ? dayCount!.Value : journey.Days;
        // Switched on now: a welcome greets those who join from now on, not every member the shop already has.
        journey.OnSince = on ? journey.OnSince ?? clock.GetUtcNow().UtcDateTime : null;
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = on ? Text.Say("Saved; the journey is on.") : Text.Say("Saved; the journey is off.");
        return Redirect($"/console/{Shop.Slug}/journeys#journey-{Code(chosen)}");
    }

    public static string Code(JourneyKind kind) => kind switch
    {
        JourneyKind.Welcome => "welcome",
        JourneyKind.WinBack => "win-back",
        _ => "birthday",
    };

    public static (string Name, string Trigger, string Subject, string Message) Words(JourneyKind kind) => kind switch
    {
        JourneyKind.Welcome => (Text.Key("Welcome"), Text.Key("When a member who agreed to offers joins (from when you switch it on)."),
            Text.Key("Welcome to {0}"), Text.Key("Thank you for joining us. Here is something for your next visit.")),
        JourneyKind.WinBack => (Text.Key("Win-back"), Text.Key("When a member's last order is this many days old; again after each new order and lapse."),
            Text.Key("We miss you at {0}"), Text.Key("It has been a while. Come back and enjoy this on us.")),
        _ => (Text.Key("Birthday"), Text.Key("On the member's birthday, if they gave it on their page."),
            Text.Key("Happy birthday from {0}"), Text.Key("Happy birthday! A treat from us, this week.")),
    };

    public string Money(double minor) => Lift.Show(minor, Shop.Currency);
}
