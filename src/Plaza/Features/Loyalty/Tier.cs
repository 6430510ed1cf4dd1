using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Loyalty;

/// <summary>What a tier is reached by: completed orders, or money spent on them (after refunds), in a rolling window.</summary>
public enum TierMeasure
{
    Orders,
    Spend,
}

/// <summary>
/// A level of membership the owner defines, e.g. "Silver after 5 orders in 90 days", with its benefits: a percentage
/// off every order while the member holds it, and a monthly gift. Of the tiers whose threshold their completed orders of
/// the last <see cref="WindowDays"/> days reach, a member holds the one with the largest percentage, then one with a
/// gift, then the highest threshold; it is worked out when it matters, so it also falls away.
/// </summary>
public sealed class Tier : IProgrammeOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public required string Name { get; set; }
    public TierMeasure Measure { get; set; }
    /// <summary>Orders, or minor units spent.</summary>
    public long Threshold { get; set; }
    public int WindowDays { get; set; }
    /// <summary>Whole percent off the items of every order while the member holds the tier (0: none, the gift is the benefit).</summary>
    public int PercentOff { get; set; }
    /// <summary>A coupon (typically a free item) the member may take once a month while holding the tier (<see cref="TierGift"/>); null for none.</summary>
    public int? GiftCouponId { get; set; }

    public const string DiscountLabel = "tier";

    /// <summary>The tier a member holds now, from their completed orders in each tier's window; null for none.</summary>
    public static async Task<Tier?> OfAsync(PlazaDb db, long memberId, DateTime now, CancellationToken ct)
    {
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(ct);
        if (tiers.Count == 0)
        {
            return null;
        }
        var since = now.AddDays(-tiers.Max(t => t.WindowDays));
        // Every shop of the programme counts: member ids are the node's, and the caller found the member in the programme's scope.
        var orders = await db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(o => o.MemberId == memberId && o.PlacedAt >= since && (o.Status == Ordering.OrderStatus.Completed || o.Status == Ordering.OrderStatus.Refunded))
            .Select(o => new Paid(o.PlacedAt, o.Total - o.RefundedTotal))
            .ToListAsync(ct);
        return Pick(tiers, orders, now);
    }

    /// <summary>The tier each member of the scoped programme holds now, by member id; members holding none are left out.</summary>
    public static async Task<Dictionary<long, Tier>> OfAllAsync(PlazaDb db, DateTime now, CancellationToken ct)
    {
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(ct);
        if (tiers.Count == 0)
        {
            return [];
        }
        var since = now.AddDays(-tiers.Max(t => t.WindowDays));
        var members = db.Members.Select(m => (long?)m.Id);
        var orders = await db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(o => o.MemberId != null && members.Contains(o.MemberId) && o.PlacedAt >= since
                && (o.Status == Ordering.OrderStatus.Completed || o.Status == Ordering.OrderStatus.Refunded))
            .Select(o => new { MemberId = o.MemberId!.Value, Paid = new Paid(o.PlacedAt, o.Total - o.RefundedTotal) })
            .ToListAsync(ct);
        return orders.GroupBy(o => o.MemberId).Select(g => (g.Key, Tier: Pick(tiers, [.. g.Select(o => o.Paid)], now)))
            .Where(x => x.Tier is not null).ToDictionary(x => x.Key, x => x.Tier!);
    }

    private readonly record struct Paid(DateTime PlacedAt, long Amount);

    private static Tier? Pick(List<Tier> tiers, List<Paid> orders, DateTime now) => tiers
        .Where(t =>
        {
            var inWindow = orders.Where(o => o.PlacedAt >= now.AddDays(-t.WindowDays)).ToList();
            return t.Measure == TierMeasure.Orders ? inWindow.Count(o => o.Amount > 0) >= t.Threshold : inWindow.Sum(o => o.Amount) >= t.Threshold;
        })
        .OrderByDescending(t => t.PercentOff).ThenByDescending(t => t.GiftCouponId is not null).ThenByDescending(t => t.Threshold)
        .FirstOrDefault();
}

/// <summary>
/// A tier's monthly gift taken by a member: one row per member and month (the shop's local month), so a second take in the
/// same month, from another tab or phone, is refused by the unique index and adds nothing.
/// </summary>
public sealed class TierGift : IProgrammeOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public long MemberId { get; set; }
    /// <summary>The shop's local month, yyyymm.</summary>
    public int Month { get; set; }
    public int TierId { get; set; }
    /// <summary>The single-use code issued for it.</summary>
    public required string Code { get; set; }
    public DateTime At { get; set; }
}

internal sealed class TierConfiguration : IEntityTypeConfiguration<Tier>, IEntityTypeConfiguration<TierGift>
{
    public void Configure(EntityTypeBuilder<TierGift> gift)
    {
        gift.HasIndex(g => new { g.ShopId, g.MemberId, g.Month }).IsUnique();
        gift.HasOne<Catalog.Shop>().WithMany().HasForeignKey(g => g.ShopId).OnDelete(DeleteBehavior.Cascade);
        gift.Property(g => g.Code).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<Tier> tier)
    {
        tier.HasOne<Catalog.Shop>().WithMany().HasForeignKey(t => t.ShopId).OnDelete(DeleteBehavior.Cascade);
        tier.Property(t => t.Name).HasMaxLength(40);
    }
}
