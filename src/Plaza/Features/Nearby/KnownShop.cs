using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Plaza.Features.Nearby;

public enum KnownShopSource
{
    /// <summary>Followed by one of this node's shops.</summary>
    Followed,
    /// <summary>Seen through a neighbourhood hub or relay.</summary>
    Shared,
    /// <summary>Listed by another node's directory this node subscribes to.</summary>
    Directory,
}

/// <summary>
/// A shop on another node that this node knows of, with where it is and when it opens, so the
/// nearby directory can list it beside this node's own shops. Filled by federation; refreshed
/// and dropped when its actor goes away.
/// </summary>
public sealed class KnownShop
{
    public int Id { get; set; }
    /// <summary>The shop's ActivityPub actor id (an https URL); unique.</summary>
    public required string ActorId { get; set; }
    /// <summary>The actor's host, for domain blocks.</summary>
    public required string Domain { get; set; }
    public required string Name { get; set; }
    public string Summary { get; set; } = "";
    /// <summary>The storefront on the shop's own node.</summary>
    public required string StorefrontUrl { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    /// <summary>IANA zone the hours are in; empty when the shop did not publish hours.</summary>
    public string TimeZone { get; set; } = "";
    /// <summary>Weekly hours as "day:opens-closes;…" in minutes (day 0 = Sunday), as <see cref="Catalog.OpeningRange"/>.</summary>
    public string OpeningHours { get; set; } = "";
    public KnownShopSource Source { get; set; }
    /// <summary>The <see cref="DirectorySubscription"/> that listed it, while <see cref="Source"/> is <see cref="KnownShopSource.Directory"/>.</summary>
    public int? SubscriptionId { get; set; }
    public DateTime LastSeenAt { get; set; }
}

internal sealed class KnownShopConfiguration : IEntityTypeConfiguration<KnownShop>
{
    public void Configure(EntityTypeBuilder<KnownShop> shop)
    {
        shop.HasIndex(s => s.ActorId).IsUnique();
        shop.HasIndex(s => s.Domain);
        shop.HasIndex(s => s.SubscriptionId);
        shop.HasIndex(s => new { s.Latitude, s.Longitude });
        shop.Property(s => s.ActorId).HasMaxLength(500);
        shop.Property(s => s.Domain).HasMaxLength(253);
        shop.Property(s => s.Name).HasMaxLength(120);
        shop.Property(s => s.Summary).HasMaxLength(2000);
        shop.Property(s => s.StorefrontUrl).HasMaxLength(500);
        shop.Property(s => s.TimeZone).HasMaxLength(64);
        shop.Property(s => s.OpeningHours).HasMaxLength(1000);
    }
}
