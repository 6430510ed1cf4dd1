using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Features.Loyalty;

/// <summary>
/// Every change to a member's points and balance, and to a coupon's uses. Each runs inside its caller's
/// transaction (the order writer's savepoint, a status change, a refund) as a conditional update of the running
/// sum plus a ledger entry, so a sum never goes where the ledger does not say and a balance never below zero.
/// The shop filter is lifted and the shop named, because the order writer serves many shops in one context.
/// </summary>
public static class Wallet
{
    /// <summary>Moves the member's sum by <see cref="LedgerEntry.Amount"/> and records the entry; false (and nothing) when it does not cover a debit.</summary>
    public static async Task<bool> MoveAsync(PlazaDb db, LedgerEntry entry, bool pointsMayGoNegative = false, CancellationToken ct = default)
    {
        var amount = entry.Amount;
        var member = db.Members.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(m => m.ShopId == entry.ShopId && m.Id == entry.MemberId);
        int changed;
        if (entry.Account == LedgerAccount.Points)
        {
            changed = await (amount < 0 && !pointsMayGoNegative ? member.Where(m => m.Points >= -amount) : member)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Points, m => m.Points + amount), ct);
        }
        else
        {
            changed = await (amount < 0 ? member.Where(m => m.Balance >= -amount) : member)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Balance, m => m.Balance + amount), ct);
        }
        if (changed == 0)
        {
            return false;
        }
        db.Ledger.Add(entry);
        return true;
    }

    /// <summary>
    /// Claims what an order takes — coupon uses within their limits, points, the balance payment — inside the
    /// writer's savepoint. A refusal means the caller rolls the savepoint back, so nothing of it stays.
    /// </summary>
    public static async Task<ProblemHttpResult?> ClaimAsync(PlazaDb db, OrderWrite write, Func<string, (string Name, object Value)[], Task> execute)
    {
        var (shop, order, quote, settlement) = (write.Shop, write.Order, write.Quote, write.Settlement!);
        var at = order.PlacedAt;
        foreach (var claim in settlement.Coupons)
        {
            if (await ClaimCouponAsync(db, shop, order, claim, execute) is { } refused)
            {
                return refused;
            }
            db.CouponUses.Add(new CouponUse
            {
                ShopId = shop.Id,
                CouponId = claim.CouponId,
                OrderId = order.Id,
                MemberId = settlement.MemberId,
                CodeId = claim.CodeId,
                Code = claim.Code,
                Amount = quote.Discounts.First(d => d.Label == claim.Code).Amount,
                At = at,
            });
        }
        if (settlement.PointsRedeemed > 0 && !await MoveAsync(db, Entry(shop, settlement.MemberId!.Value, LedgerAccount.Points, LedgerKind.Redeemed, -settlement.PointsRedeemed, order.Id, "customer", at)))
        {
            return Problems.Conflict("points-too-few", Text.Say("You no longer have the points this order uses."),
                new Dictionary<string, string[]> { ["redeemPoints"] = [Text.Say("Not enough points.")] });
        }
        if (order.PaidFromBalance > 0 && !await MoveAsync(db, Entry(shop, settlement.MemberId!.Value, LedgerAccount.Balance, LedgerKind.Spent, -order.PaidFromBalance, order.Id, "customer", at)))
        {
            return Problems.Conflict("balance-too-low", Text.Say("Your balance does not cover {0}; pay at the counter instead.", new Money(order.Total, order.Currency)),
                new Dictionary<string, string[]> { ["payment"] = [Text.Say("The balance is too low.")] });
        }
        return null;
    }

    private static async Task<ProblemHttpResult?> ClaimCouponAsync(PlazaDb db, Shop shop, Order order, CouponClaim claim, Func<string, (string Name, object Value)[], Task> execute)
    {
        var now = order.PlacedAt;
        var coupons = db.Coupons.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(c => c.ShopId == shop.Id && c.Id == claim.CouponId && c.WithdrawnAt == null && (c.ValidUntil == null || c.ValidUntil > now));
        if (claim.TotalLimit is not null)
        {
            coupons = coupons.Where(c => c.TotalLimit == null || c.Uses < c.TotalLimit);
        }
        if (await coupons.ExecuteUpdateAsync(s => s.SetProperty(c => c.Uses, c => c.Uses + 1)) == 0)
        {
            return UsedUp(claim);
        }
        if (claim.CodeId is { } codeId && await db.CouponCodes.IgnoreQueryFilters([PlazaDb.ShopFilter])
                .Where(c => c.ShopId == shop.Id && c.Id == codeId && c.UsedByOrderId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedByOrderId, order.Id)) == 0)
        {
            return UsedUp(claim);
        }
        if (claim.PerMemberLimit is { } limit)
        {
            var member = order.MemberId!.Value;
            await execute(
                """INSERT INTO "CouponMemberCounts" ("ShopId", "CouponId", "MemberId", "Count") VALUES (@shop, @coupon, @member, 0) ON CONFLICT ("ShopId", "CouponId", "MemberId") DO NOTHING""",
                [("shop", shop.Id), ("coupon", claim.CouponId), ("member", member)]);
            if (await db.CouponMemberCounts.IgnoreQueryFilters([PlazaDb.ShopFilter])
                    .Where(c => c.ShopId == shop.Id && c.CouponId == claim.CouponId && c.MemberId == member && c.Count < limit)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count + 1)) == 0)
            {
                return UsedUp(claim);
            }
        }
        return null;
    }

    private static ProblemHttpResult UsedUp(CouponClaim claim) =>
        Problems.Conflict("coupon-used-up", Text.Say("The coupon {0} has no uses left for this order.", claim.Code),
            new Dictionary<string, string[]> { ["coupons"] = [Text.Say("Used up.")] });

    /// <summary>
    /// An order that will not be made (rejected, cancelled, auto-rejected) gives back what it took: its coupon uses,
    /// the points it used and (unless a refund already did) the balance it was paid from.
    /// </summary>
    public static async Task ReleaseAsync(PlazaDb db, Shop shop, Order order, string actor, DateTime at, CancellationToken ct, bool balance = true)
    {
        await ReleaseCouponsAsync(db, order, at, ct);
        if (order.MemberId is { } member)
        {
            if (order.PointsRedeemed > 0)
            {
                await MoveAsync(db, Entry(shop, member, LedgerAccount.Points, LedgerKind.Returned, order.PointsRedeemed, order.Id, actor, at), ct: ct);
            }
            if (balance && order.PaidFromBalance > 0)
            {
                await MoveAsync(db, Entry(shop, member, LedgerAccount.Balance, LedgerKind.Returned, order.PaidFromBalance, order.Id, actor, at), ct: ct);
            }
        }
    }

    private static async Task ReleaseCouponsAsync(PlazaDb db, Order order, DateTime at, CancellationToken ct)
    {
        var uses = await db.CouponUses.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(u => u.ShopId == order.ShopId && u.OrderId == order.Id && u.ReleasedAt == null).ToListAsync(ct);
        foreach (var use in uses)
        {
            if (await db.CouponUses.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(u => u.Id == use.Id && u.ReleasedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.ReleasedAt, at), ct) == 0)
            {
                continue; // released by a concurrent refund
            }
            await db.Coupons.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(c => c.ShopId == order.ShopId && c.Id == use.CouponId && c.Uses > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Uses, c => c.Uses - 1), ct);
            if (use.CodeId is { } codeId)
            {
                await db.CouponCodes.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(c => c.ShopId == order.ShopId && c.Id == codeId && c.UsedByOrderId == order.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedByOrderId, (Guid?)null), ct);
            }
            if (use.MemberId is { } member)
            {
                await db.CouponMemberCounts.IgnoreQueryFilters([PlazaDb.ShopFilter])
                    .Where(c => c.ShopId == order.ShopId && c.CouponId == use.CouponId && c.MemberId == member && c.Count > 0)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count - 1), ct);
            }
        }
    }

    /// <summary>A member's order was completed: it earns points by the shop's rules, each lot lapsing after the rules' days.</summary>
    public static async Task EarnAsync(PlazaDb db, Shop shop, Order order, string actor, DateTime at, CancellationToken ct)
    {
        if (order.MemberId is not { } member)
        {
            return;
        }
        var rules = await db.LoyaltyRules.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().FirstOrDefaultAsync(r => r.ShopId == shop.ProgrammeId, ct);
        var points = rules?.PointsFor(order.ItemsTotal - order.Discount, order.Currency, order.Lines.Select(l => (l.ItemId, l.Quantity))) ?? 0;
        if (points <= 0)
        {
            return;
        }
        var entry = Entry(shop, member, LedgerAccount.Points, LedgerKind.Earned, points, order.Id, actor, at);
        entry.ExpiresAt = rules!.PointsExpireAfterDays > 0 ? at.AddDays(rules.PointsExpireAfterDays) : null;
        if (await MoveAsync(db, entry, ct: ct))
        {
            await db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(o => o.ShopId == order.ShopId && o.Id == order.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.PointsEarned, points), ct);
        }
    }

    /// <summary>An entry of <paramref name="shop"/>'s programme, made at <paramref name="shop"/>.</summary>
    public static LedgerEntry Entry(Shop shop, long memberId, LedgerAccount account, LedgerKind kind, long amount, Guid? orderId, string actor, DateTime at, string? reason = null) =>
        new() { ShopId = shop.ProgrammeId, PlaceShopId = shop.Id, MemberId = memberId, Account = account, Kind = kind, Amount = amount, OrderId = orderId, Actor = actor, At = at, Reason = reason };
}
