using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Campaigns;

/// <summary>What starts a member on a journey; each is looked at once a day in the shop's time zone.</summary>
public enum JourneyKind
{
    /// <summary>A member joined (after the journey was switched on).</summary>
    Welcome,
    /// <summary>A member's last order is <see cref="Journey.Days"/> of the shop's days old.</summary>
    WinBack,
    /// <summary>It is the member's birthday in the shop's time zone (29 February: the 28th in other years).</summary>
    Birthday,
}

/// <summary>
/// A shop's automated message: when its trigger holds for a member who agreed to offers, the member enters it once per
/// window (<see cref="JourneyEntry.Window"/>) and, unless drawn into its hold-out, is e-mailed the message with a single-use
/// code of their own. One row per shop and kind, made when the owner first saves it.
/// </summary>
public sealed class Journey : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public JourneyKind Kind { get; set; }
    /// <summary>When the owner last switched it on; null while off. Welcome only greets members who joined since.</summary>
    public DateTime? OnSince { get; set; }
    public int CouponId { get; set; }
    public required string Subject { get; set; }
    public required string Message { get; set; }
    /// <summary>Win-back: the shop's days since the last order (14–365).</summary>
    public int Days { get; set; } = 60;
    /// <summary>The share of entering members held out, in percent (0–50), so the journey's effect can be measured.</summary>
    public int HoldoutPercent { get; set; } = 10;

    public bool IsOn => OnSince is not null;
}

/// <summary>
/// A member's entry into a journey in one window, unique per journey, member and window: welcome once ever (window 0);
/// win-back once per lapse (the shop's date of the order they lapsed after, yyyymmdd); birthday once a year (the year).
/// </summary>
public sealed class JourneyEntry : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public int JourneyId { get; set; }
    public long MemberId { get; set; }
    public int Window { get; set; }
    public CampaignGroup Group { get; set; }
    /// <summary>The shop's date the member entered, yyyymmdd.</summary>
    public int Day { get; set; }
    public long? CouponCodeId { get; set; }
    public long? MailId { get; set; }
    public DateTime At { get; set; }
}

internal sealed class JourneyConfiguration : IEntityTypeConfiguration<Journey>, IEntityTypeConfiguration<JourneyEntry>
{
    public void Configure(EntityTypeBuilder<Journey> journey)
    {
        journey.HasIndex(j => new { j.ShopId, j.Kind }).IsUnique();
        journey.Property(j => j.Subject).HasMaxLength(150);
        journey.Property(j => j.Message).HasMaxLength(2000);
        journey.HasOne<Catalog.Shop>().WithMany().HasForeignKey(j => j.ShopId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<JourneyEntry> entry)
    {
        // Once per window: the second of two sweeps racing to enter a member fails here and its batch rolls back.
        entry.HasIndex(e => new { e.JourneyId, e.MemberId, e.Window }).IsUnique();
        entry.HasIndex(e => new { e.ShopId, e.JourneyId, e.At });
        entry.HasOne<Journey>().WithMany().HasForeignKey(e => e.JourneyId).OnDelete(DeleteBehavior.Cascade);
    }
}
