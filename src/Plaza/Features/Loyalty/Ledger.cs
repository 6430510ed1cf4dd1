using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Loyalty;

/// <summary>Which of a member's two running sums an entry moves.</summary>
public enum LedgerAccount
{
    /// <summary>Points, earned by ordering and redeemed for an amount off.</summary>
    Points,
    /// <summary>Stored value (储值): money the member paid in ahead, in the shop's minor units.</summary>
    Balance,
}

public enum LedgerKind
{
    /// <summary>Points for a completed order.</summary>
    Earned,
    /// <summary>Points taken off an order as an amount off.</summary>
    Redeemed,
    /// <summary>Points or a balance payment given back: the order was rejected, cancelled or refunded.</summary>
    Returned,
    /// <summary>Points earned by an order that was then refunded.</summary>
    Reversed,
    /// <summary>Points that reached their expiry date unspent.</summary>
    Expired,
    /// <summary>Money paid in at the counter.</summary>
    TopUp,
    /// <summary>The extra a top-up offer gives ("top up 500, get 50"): a cost to the shop, not a sale.</summary>
    Bonus,
    /// <summary>An order paid from the balance.</summary>
    Spent,
    /// <summary>An owner's correction, with the reason.</summary>
    Adjusted,
}

/// <summary>
/// One movement of a member's points or balance. Entries are only ever added; the member's
/// <see cref="Members.Member.Points"/> and <see cref="Members.Member.Balance"/> are their sums, moved in the same
/// transaction by a conditional update, so a spend that the sum does not cover changes nothing.
/// </summary>
public sealed class LedgerEntry : IProgrammeOwned
{
    public long Id { get; set; }
    /// <summary>The programme's shop (<see cref="Catalog.Shop.ProgrammeId"/>), whose member it is.</summary>
    public int ShopId { get; set; }
    /// <summary>The shop where it happened (the top-up's counter, the order's shop): a linked shop's reports count its own.</summary>
    public int PlaceShopId { get; set; }
    public long MemberId { get; set; }
    public LedgerAccount Account { get; set; }
    public LedgerKind Kind { get; set; }
    /// <summary>Positive in, negative out: points, or minor units of the shop's currency.</summary>
    public long Amount { get; set; }
    public Guid? OrderId { get; set; }
    /// <summary>Why, as the owner wrote it (adjustments), or what it was for.</summary>
    public string? Reason { get; set; }
    /// <summary>"customer", "system", or the staff member or token that made it.</summary>
    public required string Actor { get; set; }
    public DateTime At { get; set; }
    /// <summary>For earned points: when they lapse if still unspent.</summary>
    public DateTime? ExpiresAt { get; set; }
}

/// <summary>A refund of a completed order, in full or in part, with who gave it and why.</summary>
public sealed class OrderRefund : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public Guid OrderId { get; set; }
    public long Amount { get; set; }
    public required string Reason { get; set; }
    public required string Actor { get; set; }
    public DateTime At { get; set; }
    /// <summary>The shop's local date of the refund (yyyymmdd), so reports count it on the day it was given.</summary>
    public int BusinessDay { get; set; }
}

internal sealed class LedgerConfiguration : IEntityTypeConfiguration<LedgerEntry>, IEntityTypeConfiguration<OrderRefund>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> entry)
    {
        entry.HasIndex(e => new { e.ShopId, e.MemberId, e.Account, e.At });
        entry.HasIndex(e => new { e.ShopId, e.OrderId });
        entry.HasOne<Catalog.Shop>().WithMany().HasForeignKey(e => e.ShopId).OnDelete(DeleteBehavior.Cascade);
        entry.Property(e => e.Reason).HasMaxLength(300);
        entry.Property(e => e.Actor).HasMaxLength(80);
    }

    public void Configure(EntityTypeBuilder<OrderRefund> refund)
    {
        refund.HasIndex(r => new { r.ShopId, r.OrderId });
        refund.HasIndex(r => new { r.ShopId, r.BusinessDay });
        refund.HasOne<Ordering.Order>().WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Cascade);
        refund.Property(r => r.Reason).HasMaxLength(300);
        refund.Property(r => r.Actor).HasMaxLength(80);
    }
}
