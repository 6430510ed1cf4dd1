using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Members;
using Plaza.Features.Ordering;

namespace Plaza.Features.Loyalty;

/// <summary>A coupon an order will use, with the limits the writer claims inside the order's savepoint.</summary>
public sealed record CouponClaim(int CouponId, string Code, long? CodeId, int? PerMemberLimit, int? TotalLimit);

/// <summary>What an order takes from the member and the shop's offers, claimed when (and only if) the order is stored.</summary>
public sealed record Settlement(long? MemberId, IReadOnlyList<CouponClaim> Coupons, int PointsRedeemed, PaymentMethod Payment)
{
    public static readonly Settlement Guest = new(null, [], 0, PaymentMethod.Counter);

    public bool TakesAnything => Coupons.Count > 0 || PointsRedeemed > 0 || Payment == PaymentMethod.Balance;
}

/// <summary>
/// Reads what a checkout asks for (coupon codes, points, paying from the balance) against the shop's offers and the
/// member, and turns it into discounts for <see cref="Pricing"/> and the claims the order writer makes. Every check
/// that can change between now and the write (uses left, the member's points and balance) is made again there.
/// </summary>
public sealed class Offers(PlazaDb db)
{
    public const int MaxCoupons = 3;
    public const string PointsLabel = "points";

    public sealed record Asked(IReadOnlyList<string> Codes, int RedeemPoints, PaymentMethod Payment);

    public abstract record Outcome;
    /// <param name="PointsValue">What the points asked for are worth; more than the order's items is refused.</param>
    public sealed record Resolved(IReadOnlyList<Discount> Discounts, Settlement Settlement, Member? Member, long PointsValue) : Outcome;
    public sealed record Refused(ProblemHttpResult Problem) : Outcome;

    /// <summary>Parses the request's wire fields; null payment means at the counter.</summary>
    public static (Asked? Asked, Dictionary<string, string[]> Invalid) Read(IReadOnlyList<string>? coupons, int? redeemPoints, string? payment)
    {
        var invalid = new Dictionary<string, string[]>();
        var codes = (coupons ?? []).Select(Normalize).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count > MaxCoupons || codes.Any(c => c.Length > 32))
        {
            invalid["coupons"] = [Text.Say("At most {0} coupon codes of up to 32 characters.", MaxCoupons)];
        }
        if (redeemPoints is < 0 or > 100_000_000)
        {
            invalid["redeemPoints"] = [Text.Say("Points to use are a whole number from 0.")];
        }
        PaymentMethod? method = payment switch
        {
            null or "" or "counter" => PaymentMethod.Counter,
            "balance" => PaymentMethod.Balance,
            _ => null,
        };
        if (method is null)
        {
            invalid["payment"] = [Text.Say("Payment is counter or balance.")];
        }
        return invalid.Count > 0 ? (null, invalid) : (new Asked(codes, redeemPoints ?? 0, method!.Value), invalid);
    }

    /// <summary>Codes are read as typed on any keyboard: full-width letters and spaces made plain, case ignored.</summary>
    public static string Normalize(string? code) =>
        code is null ? "" : Typed.Plain(code).Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    public async Task<Outcome> ResolveAsync(Shop shop, Asked asked, long? memberId, IReadOnlyList<PricedLine> lines, DateTime now, CancellationToken ct)
    {
        if (memberId is null && asked.Codes.Count == 0 && asked.RedeemPoints == 0 && asked.Payment == PaymentMethod.Counter)
        {
            return new Resolved([], Settlement.Guest, null, 0); // a guest asking for nothing costs no query
        }
        var member = memberId is { } id ? await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) : null;
        if (member is null && (asked.RedeemPoints > 0 || asked.Payment == PaymentMethod.Balance))
        {
            return Refuse("member-needed", asked.Payment == PaymentMethod.Balance ? "payment" : "redeemPoints",
                Text.Say("Sign in as a member of {0} to use points or your balance.", shop.Name), StatusCodes.Status403Forbidden);
        }
        var discounts = new List<Discount>();
        // The member's tier comes first: its percentage is the member's price, coupons come off what is left.
        if (member is not null && await Tier.OfAsync(db, member.Id, now, ct) is { PercentOff: > 0 } tier)
        {
            discounts.Add(new Discount(Tier.DiscountLabel, _ => true, scope => MoneyRounding.Divide(scope.Sum(s => s.Net) * tier.PercentOff, 100)));
        }
        var claims = new List<CouponClaim>();
        var itemsTotal = lines.Sum(l => l.LineTotal);
        var allStackable = true;
        foreach (var typed in asked.Codes)
        {
            var (coupon, code) = await FindAsync(typed, ct);
            if (coupon is null)
            {
                return Refuse("coupon-unknown", "coupons", Text.Say("There is no coupon {0} at {1}.", typed, shop.Name));
            }
            if (Check(shop, coupon, code, member, lines, itemsTotal, now) is { } problem)
            {
                return new Refused(problem);
            }
            if (coupon.PerMemberLimit is { } limit
                && await db.CouponMemberCounts.AnyAsync(c => c.CouponId == coupon.Id && c.MemberId == member!.Id && c.Count >= limit, ct))
            {
                return Refuse("coupon-used-up", "coupons", Text.Say("You have used {0} as often as it allows ({1}×).", coupon.Name, limit));
            }
            if (coupon.TotalLimit is { } total && coupon.Uses >= total)
            {
                return Refuse("coupon-used-up", "coupons", Text.Say("{0} has been used as often as the shop offered it.", coupon.Name));
            }
            if (claims.Count > 0 && !(coupon.Stackable && allStackable))
            {
                return Refuse("coupons-not-combinable", "coupons", Text.Say("{0} cannot be combined with another coupon.", coupon.Name));
            }
            allStackable &= coupon.Stackable;
            claims.Add(new CouponClaim(coupon.Id, typed, code?.Id, coupon.PerMemberLimit, coupon.TotalLimit));
            discounts.Add(DiscountOf(coupon, typed));
        }
        var points = asked.RedeemPoints;
        var pointsValue = 0L;
        if (points > 0)
        {
            var rules = await db.LoyaltyRules.AsNoTracking().FirstOrDefaultAsync(ct) ?? LoyaltyRules.None(shop.ProgrammeId);
            if (rules.PointsPerUnitOff <= 0 || points % rules.PointsPerUnitOff != 0)
            {
                return Refuse("points-not-redeemable", "redeemPoints", rules.PointsPerUnitOff <= 0
                    ? Text.Say("{0} does not take points as payment.", shop.Name)
                    : Text.Say("Points are used in steps of {0}.", rules.PointsPerUnitOff), StatusCodes.Status422UnprocessableEntity);
            }
            if (member!.Points < points)
            {
                return Refuse("points-too-few", "redeemPoints", Text.Say("You have {0} points.", member.Points));
            }
            pointsValue = rules.ValueOf(points, shop.Currency);
            discounts.Add(new Discount(PointsLabel, _ => true, _ => pointsValue));
        }
        return new Resolved(discounts, new Settlement(member?.Id, claims, points, asked.Payment), member, pointsValue);
    }

    private async Task<(Coupon? Coupon, CouponCode? Code)> FindAsync(string code, CancellationToken ct)
    {
        if (await db.CouponCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == code, ct) is { } issued)
        {
            return (await db.Coupons.AsNoTracking().FirstOrDefaultAsync(c => c.Id == issued.CouponId, ct), issued);
        }
        return (await db.Coupons.AsNoTracking().FirstOrDefaultAsync(c => c.SharedCode == code, ct), null);
    }

    /// <summary>Why the coupon cannot go on this cart now, or null when it can.</summary>
    private static ProblemHttpResult? Check(Shop shop, Coupon coupon, CouponCode? code, Member? member, IReadOnlyList<PricedLine> lines, long itemsTotal, DateTime now)
    {
        if (coupon.WithdrawnAt is not null || coupon.ValidUntil is { } until && until <= now)
        {
            return Problem("coupon-expired", Text.Say("{0} is no longer valid.", coupon.Name));
        }
        if (coupon.ValidFrom is { } from && from > now)
        {
            return Problem("coupon-not-yet-valid", Text.Say("{0} is valid from {1}.", coupon.Name, OpeningSchedule.Local(shop, from, "yyyy-MM-dd HH:mm")));
        }
        if (code is { UsedByOrderId: not null })
        {
            return Problem("coupon-used-up", Text.Say("The code {0} has been used.", code.Code));
        }
        if (code is { MemberId: { } owner } && owner != member?.Id)
        {
            return Problem("coupon-not-yours", Text.Say("The code {0} was given to another member; sign in as that member to use it.", code.Code));
        }
        if (coupon.PerMemberLimit is not null && member is null)
        {
            return Problem("member-needed", Text.Say("Sign in as a member of {0} to use {1}.", shop.Name, coupon.Name), StatusCodes.Status403Forbidden);
        }
        if (itemsTotal < coupon.MinimumSpend)
        {
            return Problem("coupon-below-minimum", Text.Say("{0} needs items worth at least {1}; these come to {2}.",
                coupon.Name, new Money(coupon.MinimumSpend, shop.Currency), new Money(itemsTotal, shop.Currency)));
        }
        if (!lines.Any(AppliesTo(coupon)))
        {
            return Problem("coupon-out-of-scope", coupon.Kind == CouponKind.FreeItem
                ? Text.Say("{0} gives an item that is not in the cart; add it first.", coupon.Name)
                : Text.Say("{0} is for items that are not in the cart.", coupon.Name));
        }
        return null;
    }

    public static Func<PricedLine, bool> AppliesTo(Coupon coupon) => coupon.Kind == CouponKind.FreeItem
        ? line => line.Item.Id == coupon.FreeItemId
        : coupon.IsWholeOrder
            ? _ => true
            : line => coupon.ItemIdList.Contains(line.Item.Id) || coupon.CategoryIdList.Contains(line.Item.CategoryId);

    public static Discount DiscountOf(Coupon coupon, string code) => new(code, AppliesTo(coupon), coupon.Kind switch
    {
        CouponKind.PercentOff => scope => MoneyRounding.Divide(scope.Sum(s => s.Net) * coupon.Value, 10_000),
        CouponKind.AmountOff => _ => coupon.Value,
        // One unit of the item: the cheapest line's unit price (with its options), as far as that line still costs.
        _ => scope => scope.Min(s => Math.Min(s.Line.UnitPrice, s.Net)),
    });

    private static Refused Refuse(string code, string field, string detail, int status = StatusCodes.Status409Conflict) =>
        new(Problem(code, detail, status, field));

    private static ProblemHttpResult Problem(string code, string detail, int status = StatusCodes.Status409Conflict, string field = "coupons") =>
        Problems.Make(status, code, detail, new Dictionary<string, string[]> { [field] = [detail] });
}
