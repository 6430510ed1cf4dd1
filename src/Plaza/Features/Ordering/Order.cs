using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Ordering;

public enum OrderStatus
{
    Placed,
    Accepted,
    Preparing,
    Ready,
    Completed,
    Rejected,
    Cancelled,
    /// <summary>Completed, then refunded in full or in part by the owner (<see cref="Order.RefundedTotal"/> says how much).</summary>
    Refunded,
}

/// <summary>How the customer pays: at the counter (cash, card, their own QR wallet) or from their stored value, up front.</summary>
public enum PaymentMethod
{
    Counter,
    Balance,
}

/// <summary>An order as placed: prices, names and tax are copied, so later menu edits never change it.</summary>
public sealed class Order : IShopOwned
{
    public Guid Id { get; set; }
    public int ShopId { get; set; }
    /// <summary>Human number for the counter, unique per shop per local day, e.g. A-023.</summary>
    public required string Number { get; set; }
    /// <summary>The shop's local date the order was placed on, as yyyymmdd.</summary>
    public int BusinessDay { get; set; }
    public OrderType Type { get; set; }
    public OrderStatus Status { get; set; }
    public string? TableCode { get; set; }
    /// <summary>When the customer wants it (UTC); null for "as soon as possible" and dine-in.</summary>
    public DateTime? PickupAt { get; set; }
    public string? DeliveryAddress { get; set; }
    public required string CustomerName { get; set; }
    public required string CustomerPhone { get; set; }
    public string? Note { get; set; }
    public required string Currency { get; set; }
    public long ItemsTotal { get; set; }
    /// <summary>Taken off the items by coupons and points, already split across the tax rates in <see cref="TaxBreakdown"/>.</summary>
    public long Discount { get; set; }
    /// <summary>What made up <see cref="Discount"/>, as "code:amount;…" (points as "points:amount").</summary>
    public string Discounts { get; set; } = "";
    public int PointsRedeemed { get; set; }
    public PaymentMethod Payment { get; set; }
    /// <summary>Paid up front from the member's balance: the whole total, or nothing.</summary>
    public long PaidFromBalance { get; set; }
    /// <summary>Points the order earned on completion; reversed on refund.</summary>
    public long PointsEarned { get; set; }
    /// <summary>Given back so far; at most <see cref="Total"/>.</summary>
    public long RefundedTotal { get; set; }
    public long DeliveryFee { get; set; }
    public long Tip { get; set; }
    public long Tax { get; set; }
    public long Total { get; set; }
    public bool PricesIncludeTax { get; set; }
    /// <summary>Tax per rate as "basisPoints:base:tax;…", computed once at placement.</summary>
    public string TaxBreakdown { get; set; } = "";
    public DateTime PlacedAt { get; set; }
    /// <summary>When the shop said it will be ready (UTC), set on acceptance.</summary>
    public DateTime? ReadyAt { get; set; }
    /// <summary>Why it was rejected or cancelled, as staff wrote it; null when <see cref="ReasonCode"/> says it.</summary>
    public string? Reason { get; set; }
    /// <summary>A reason Plaza itself gave (<see cref="OrderReasons"/>), worded in each reader's language when shown.</summary>
    public string? ReasonCode { get; set; }
    /// <summary>The channel that first brought this customer (<see cref="Channels.Channel"/>); null when none did.</summary>
    public int? FirstChannelId { get; set; }
    /// <summary>The channel of the visit the order was placed in: a tracked link, a share link, or the table's code.</summary>
    public int? LastChannelId { get; set; }
    /// <summary>The shop's member who placed the order while signed in; null for a guest (and after the member deleted their account).</summary>
    public long? MemberId { get; set; }
    /// <summary>
    /// Who bought, for repeat rates and segments (<see cref="Campaigns.Customer"/>): the member, or a guest known by their phone;
    /// set when the order completes, null before then and for a guest who gave no valid phone.
    /// </summary>
    public long? CustomerId { get; set; }
    public List<OrderLine> Lines { get; set; } = [];
    public List<OrderTransition> Transitions { get; set; } = [];
}

public sealed class OrderLine : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public Guid OrderId { get; set; }
    public int ItemId { get; set; }
    public required string Name { get; set; }
    /// <summary>Chosen options as shown to staff, e.g. "Large, Oat milk".</summary>
    public string Options { get; set; } = "";
    /// <summary>Chosen option ids, comma-separated, for re-ordering and reports.</summary>
    public string OptionIds { get; set; } = "";
    public int Quantity { get; set; }
    public long UnitPrice { get; set; }
    public long LineTotal { get; set; }
    public int TaxBasisPoints { get; set; }
}

/// <summary>One step in an order's life, with who took it and when.</summary>
public sealed class OrderTransition : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public Guid OrderId { get; set; }
    public OrderStatus Status { get; set; }
    public DateTime At { get; set; }
    /// <summary>"customer", "system", or the staff member or token name that made the change.</summary>
    public required string Actor { get; set; }
    public string? Reason { get; set; }
    public string? ReasonCode { get; set; }
}

/// <summary>The first answer to an Idempotency-Key, kept so a retry gets the same order back.</summary>
public sealed class IdempotencyKey : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of the request body, so the same key with another body is refused.</summary>
    public required string RequestHash { get; set; }
    public Guid OrderId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>Last order number handed out per shop per local day.</summary>
public sealed class OrderCounter : IShopOwned
{
    public int ShopId { get; set; }
    public int Day { get; set; }
    public int Last { get; set; }
}

/// <summary>Orders promised for one pickup/delivery slot, bounded by the shop's capacity.</summary>
public sealed class SlotBooking : IShopOwned
{
    public int ShopId { get; set; }
    /// <summary>Slot start as Unix seconds (UTC), compared exactly in both stores.</summary>
    public long SlotStart { get; set; }
    public int Count { get; set; }
}

/// <summary>A bearer token for the staff API; only its SHA-256 is stored.</summary>
public sealed class ApiToken : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    /// <summary>
    /// What the token may do: <see cref="TokenScope.Staff"/> (read and move orders) unless the owner
    /// asks for an owner token on the tokens page.
    /// </summary>
    public TokenScope Scope { get; set; } = TokenScope.Staff;
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>, IEntityTypeConfiguration<OrderLine>,
    IEntityTypeConfiguration<OrderTransition>, IEntityTypeConfiguration<IdempotencyKey>, IEntityTypeConfiguration<OrderCounter>,
    IEntityTypeConfiguration<SlotBooking>, IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<Order> order)
    {
        order.Property(o => o.Number).HasMaxLength(16);
        order.Property(o => o.TableCode).HasMaxLength(32);
        order.Property(o => o.DeliveryAddress).HasMaxLength(300);
        order.Property(o => o.CustomerName).HasMaxLength(80);
        order.Property(o => o.CustomerPhone).HasMaxLength(32);
        order.Property(o => o.Note).HasMaxLength(500);
        order.Property(o => o.Currency).HasMaxLength(3);
        order.Property(o => o.TaxBreakdown).HasMaxLength(200);
        order.Property(o => o.Discounts).HasMaxLength(200);
        order.Property(o => o.Reason).HasMaxLength(300);
        order.Property(o => o.ReasonCode).HasMaxLength(64);
        order.HasIndex(o => new { o.ShopId, o.BusinessDay, o.Number }).IsUnique();
        order.HasIndex(o => new { o.ShopId, o.PlacedAt });
        // Partial: an order is placed with neither (the customer is given on completion, a member only signs some
        // orders), and every entry of a NULL was one more index page written per order — on a node of many shops,
        // where each order of a batch lands on another shop's page, a page per order. Lookups by a member or a
        // customer (`= @id`) imply NOT NULL, so both stores still use them.
        order.HasIndex(o => new { o.ShopId, o.MemberId }).HasFilter("\"MemberId\" IS NOT NULL");
        order.HasIndex(o => new { o.ShopId, o.CustomerId }).HasFilter("\"CustomerId\" IS NOT NULL");
        // Owner reports group a shop's days by type and status and sum these amounts; with them in
        // the index a report reads only index pages (SQLite has no INCLUDE, so they are key columns).
        // The dashboard's customers, cohorts and channel mix read CustomerId, RefundedTotal and
        // FirstChannelId, and the top items join lines on Id: with them too, one big shop's year
        // reads no table page (a cohort read of 200,000 orders on a 1.2-million-order node went from
        // 0.86 s to 0.12 s; the year's top items, with the lines' index below, from 1.6 s to 0.3 s).
        order.HasIndex(o => new
        {
            o.ShopId,
            o.BusinessDay,
            o.Status,
            o.Type,
            o.Total,
            o.ItemsTotal,
            o.Tax,
            o.Tip,
            o.DeliveryFee,
            o.Discount,
            o.CustomerId,
            o.RefundedTotal,
            o.FirstChannelId,
            o.Id,
        })
            .HasDatabaseName("IX_Orders_Sales");
        order.HasOne<Shop>().WithMany().HasForeignKey(o => o.ShopId).OnDelete(DeleteBehavior.NoAction);
        order.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId);
        order.HasMany(o => o.Transitions).WithOne().HasForeignKey(t => t.OrderId);
    }

    public void Configure(EntityTypeBuilder<OrderLine> line)
    {
        line.Property(l => l.Name).HasMaxLength(120);
        line.Property(l => l.Options).HasMaxLength(500);
        line.Property(l => l.OptionIds).HasMaxLength(200);
        // The top items: a shop's lines of its orders, summed by item from index pages alone.
        line.HasIndex(l => new { l.ShopId, l.OrderId, l.ItemId, l.Quantity, l.LineTotal }).HasDatabaseName("IX_OrderLines_Sales");
    }

    public void Configure(EntityTypeBuilder<OrderTransition> transition)
    {
        transition.Property(t => t.Actor).HasMaxLength(80);
        transition.Property(t => t.ReasonCode).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<IdempotencyKey> key)
    {
        key.Property(k => k.Key).HasMaxLength(255);
        key.Property(k => k.RequestHash).HasMaxLength(64);
        key.HasIndex(k => new { k.ShopId, k.Key }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<OrderCounter> counter) => counter.HasKey(c => new { c.ShopId, c.Day });

    public void Configure(EntityTypeBuilder<SlotBooking> booking) => booking.HasKey(b => new { b.ShopId, b.SlotStart });

    public void Configure(EntityTypeBuilder<ApiToken> token)
    {
        token.Property(t => t.Name).HasMaxLength(80);
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.HasIndex(t => t.TokenHash).IsUnique();
    }
}
