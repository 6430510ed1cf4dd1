using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Promotions;

/// <summary>A promotion a shop published as a Note to its followers.</summary>
public sealed class Promotion : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public required string Text { get; set; }
    public string? Link { get; set; }
    /// <summary>The shop's item the link points at, when the owner picked one instead of typing a URL.</summary>
    public int? ItemId { get; set; }
    /// <summary>A photo under /media (written by <see cref="Catalog.ItemImages"/>), sent as the Note's Image attachment.</summary>
    public string? ImageUrl { get; set; }
    /// <summary>The photo's description for people who cannot see it (the attachment's <c>name</c>).</summary>
    public string? ImageAlt { get; set; }
    public int? ImageWidth { get; set; }
    public int? ImageHeight { get; set; }
    /// <summary>
    /// The shared code of a coupon the post offers (<see cref="Loyalty.Coupon.SharedCode"/>), copied when posted: the Note
    /// carries it, so anyone who reads the post may use it. Such a coupon is "not measured" (it reaches everyone).
    /// </summary>
    public string? CouponCode { get; set; }
    public DateTime PublishedAt { get; set; }
    /// <summary>When the owner last edited it; the Note then carries <c>updated</c> and an Update went to followers.</summary>
    public DateTime? UpdatedAt { get; set; }
    /// <summary>The id of the latest Update, so the console can show how that edit's deliveries stand.</summary>
    public string? UpdateActivityId { get; set; }
    /// <summary>When the owner took it down; its Note then answers 410 Gone and a Delete went to followers.</summary>
    public DateTime? DeletedAt { get; set; }
}

/// <summary>Where a promotion leads, and its own page.</summary>
public static class PromotionLinks
{
    /// <summary>
    /// A post that leads to the shop itself (no link, or one of its items) leads through the post's own
    /// tracked link, so the orders it brings are credited to it; a link elsewhere is left as written.
    /// </summary>
    /// <param name="storefront">The shop's storefront, absolute (<c>https://node/s/{shop}</c>).</param>
    public static string Target(string storefront, Promotion promotion) =>
        LeadsToShop(storefront, promotion)
            ? $"{storefront}/c/{Channels.ChannelCodes.Promotion(promotion.Id)}{(promotion.ItemId is { } item ? $"?item={item}" : "")}"
            : promotion.Link!;

    /// <summary>True when the post leads to the shop (its menu or one of its items), not to another site.</summary>
    public static bool LeadsToShop(string storefront, Promotion promotion) =>
        promotion.Link is null || (promotion.ItemId is not null && promotion.Link.StartsWith(storefront, StringComparison.Ordinal));

    /// <summary>The post's page for people, <c>/s/{shop}/posts/{id}</c>: what a shared post opens, with its share tags.</summary>
    public static string PagePath(string shopSlug, long id) => $"/s/{Uri.EscapeDataString(shopSlug)}/posts/{id}";
}

/// <summary>
/// Which menu changes a shop announces to its followers by itself; no row means none (the default).
/// </summary>
public sealed class AnnouncementPolicy : IShopOwned
{
    public int ShopId { get; set; }
    /// <summary>An item added to the menu (and available) is announced.</summary>
    public bool NewItems { get; set; }
    /// <summary>An available item's new price is announced, old → new.</summary>
    public bool PriceChanges { get; set; }
}

internal sealed class PromotionConfiguration : IEntityTypeConfiguration<Promotion>, IEntityTypeConfiguration<AnnouncementPolicy>
{
    public void Configure(EntityTypeBuilder<Promotion> promotion)
    {
        promotion.Property(p => p.Text).HasMaxLength(5000);
        promotion.Property(p => p.Link).HasMaxLength(Iri.MaxLength);
        promotion.Property(p => p.CouponCode).HasMaxLength(32);
        promotion.Property(p => p.ImageUrl).HasMaxLength(500);
        promotion.Property(p => p.ImageAlt).HasMaxLength(Publishing.MaxAltLength);
        promotion.Property(p => p.UpdateActivityId).HasMaxLength(Iri.MaxLength);
        // Deleting an item keeps the posts that linked to it (their link still leads to the storefront).
        promotion.HasOne<Item>().WithMany().HasForeignKey(p => p.ItemId).OnDelete(DeleteBehavior.SetNull);
        promotion.HasIndex(p => new { p.ShopId, p.PublishedAt });
        promotion.HasOne<Shop>().WithMany().HasForeignKey(p => p.ShopId);
    }

    public void Configure(EntityTypeBuilder<AnnouncementPolicy> policy)
    {
        policy.HasKey(p => p.ShopId);
        policy.HasOne<Shop>().WithOne().HasForeignKey<AnnouncementPolicy>(p => p.ShopId);
    }
}
