using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Loyalty;

public enum CouponKind
{
    /// <summary><see cref="Coupon.Value"/> is basis points off the items in scope (1000 = 10 %).</summary>
    PercentOff,
    /// <summary><see cref="Coupon.Value"/> is minor units off the items in scope, at most their total.</summary>
    AmountOff,
    /// <summary>One unit of <see cref="Coupon.FreeItemId"/> free; the item must be in the cart.</summary>
    FreeItem,
}

/// <summary>
/// An offer a customer applies at checkout, by a code the shop shares (<see cref="SharedCode"/>) or by single-use
/// codes issued one per member (<see cref="CouponCode"/>). Its limits are claimed inside the order's write, so a
/// refused or replayed order uses nothing.
/// </summary>
public sealed class Coupon : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    /// <summary>What the customer and staff read, e.g. "Spring 10 % off".</summary>
    public required string Name { get; set; }
    public CouponKind Kind { get; set; }
    public long Value { get; set; }
    public int? FreeItemId { get; set; }
    /// <summary>The items' total (before any discount) an order needs, in minor units; 0 for none.</summary>
    public long MinimumSpend { get; set; }
    public DateTime? ValidFrom { get; set; }
    public DateTime? ValidUntil { get; set; }
    /// <summary>Comma-separated item ids the coupon applies to; empty with no categories means the whole order.</summary>
    public string ItemIds { get; set; } = "";
    public string CategoryIds { get; set; } = "";
    /// <summary>Uses one member may make; null for no limit. A limited coupon needs a signed-in member.</summary>
    public int? PerMemberLimit { get; set; }
    /// <summary>Uses in all; null for no limit.</summary>
    public int? TotalLimit { get; set; }
    /// <summary>Uses so far, kept in step with <see cref="CouponUse"/> rows by the same conditional update that claims one.</summary>
    public int Uses { get; set; }
    /// <summary>One code for everyone (upper-case); null when the coupon is given by single-use codes only.</summary>
    public string? SharedCode { get; set; }
    /// <summary>May be used with another coupon on the same order; never unless the owner allows it on both.</summary>
    public bool Stackable { get; set; }
    /// <summary>A reward: members exchange this many points for a single-use code of it (<see cref="CouponBook.ExchangeAsync"/>); null when not.</summary>
    public int? PointsCost { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Withdrawn by the owner: no longer applies, its history stays.</summary>
    public DateTime? WithdrawnAt { get; set; }

    public IEnumerable<int> ItemIdList => Ids(ItemIds);

    public IEnumerable<int> CategoryIdList => Ids(CategoryIds);

    public bool IsWholeOrder => ItemIds.Length == 0 && CategoryIds.Length == 0;

    private static IEnumerable<int> Ids(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A single-use code of a coupon, issued to one member (or printed, with no member) and used once.</summary>
public sealed class CouponCode : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public int CouponId { get; set; }
    public required string Code { get; set; }
    /// <summary>The member it was issued to; only they may use it. Null for a code handed out on paper.</summary>
    public long? MemberId { get; set; }
    public DateTime IssuedAt { get; set; }
    public Guid? UsedByOrderId { get; set; }

    // No 0/O, 1/I/L: read aloud or typed from paper, these are the ones people mix up.
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public static string NewCode() => string.Create(10, 0, (chars, _) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
    });
}

/// <summary>One coupon used on one order; released (with the claim on its limits) when the order is not made or is refunded in full.</summary>
public sealed class CouponUse : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public int CouponId { get; set; }
    public Guid OrderId { get; set; }
    public long? MemberId { get; set; }
    public long? CodeId { get; set; }
    public required string Code { get; set; }
    /// <summary>The amount it took off, in minor units.</summary>
    public long Amount { get; set; }
    public DateTime At { get; set; }
    public DateTime? ReleasedAt { get; set; }
}

/// <summary>How often one member has used one coupon: the row a per-member limit is claimed on, like a slot's seats.</summary>
public sealed class CouponMemberCount : IShopOwned
{
    public int ShopId { get; set; }
    public int CouponId { get; set; }
    public long MemberId { get; set; }
    public int Count { get; set; }
}

internal sealed class CouponConfiguration : IEntityTypeConfiguration<Coupon>, IEntityTypeConfiguration<CouponCode>,
    IEntityTypeConfiguration<CouponUse>, IEntityTypeConfiguration<CouponMemberCount>
{
    public void Configure(EntityTypeBuilder<Coupon> coupon)
    {
        coupon.HasOne<Catalog.Shop>().WithMany().HasForeignKey(c => c.ShopId).OnDelete(DeleteBehavior.Cascade);
        coupon.HasIndex(c => new { c.ShopId, c.SharedCode }).IsUnique();
        coupon.Property(c => c.Name).HasMaxLength(80);
        coupon.Property(c => c.ItemIds).HasMaxLength(400);
        coupon.Property(c => c.CategoryIds).HasMaxLength(400);
        coupon.Property(c => c.SharedCode).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<CouponCode> code)
    {
        code.HasOne<Coupon>().WithMany().HasForeignKey(c => c.CouponId).OnDelete(DeleteBehavior.Cascade);
        code.HasIndex(c => new { c.ShopId, c.Code }).IsUnique();
        code.HasIndex(c => new { c.ShopId, c.MemberId });
        code.Property(c => c.Code).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<CouponUse> use)
    {
        use.HasOne<Coupon>().WithMany().HasForeignKey(u => u.CouponId).OnDelete(DeleteBehavior.Cascade);
        use.HasIndex(u => new { u.ShopId, u.CouponId });
        use.HasIndex(u => new { u.ShopId, u.OrderId });
        use.Property(u => u.Code).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<CouponMemberCount> count) => count.HasKey(c => new { c.ShopId, c.CouponId, c.MemberId });
}
