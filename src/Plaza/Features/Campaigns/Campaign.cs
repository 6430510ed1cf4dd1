using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Campaigns;

/// <summary>
/// An offer e-mailed to a segment's members who agreed to offers, measured against a hold-out: at the send time a share of
/// the audience, drawn at random with <see cref="Seed"/>, is held out and receives nothing; every other member gets the
/// message and a single-use code of their own for <see cref="CouponId"/>, so the offer cannot reach the hold-out.
/// </summary>
public sealed class Campaign : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public required string Name { get; set; }
    /// <summary>The RFM segment whose members it goes to; null for every member who agreed to offers.</summary>
    public RfmSegment? Segment { get; set; }
    /// <summary>The owner's own segment (<see cref="Campaigns.Segment"/>) whose members it goes to, evaluated at the send time; null for none.</summary>
    public int? SegmentId { get; set; }
    public int CouponId { get; set; }
    public required string Subject { get; set; }
    public required string Message { get; set; }
    public DateTime SendAt { get; set; }
    /// <summary>The share of the audience held out, in percent (0–50).</summary>
    public int HoldoutPercent { get; set; } = 10;
    /// <summary>The seed of the hold-out draw, kept so the draw can be checked and repeated.</summary>
    public int Seed { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the audience was drawn and the mail queued; null until then. Set by a conditional update, so once.</summary>
    public DateTime? SentAt { get; set; }
}

public enum CampaignGroup
{
    Treated,
    Holdout,
}

/// <summary>One member of a campaign's audience: treated (mailed, with a code of their own) or held out (sent nothing).</summary>
public sealed class CampaignRecipient : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public int CampaignId { get; set; }
    public long MemberId { get; set; }
    public CampaignGroup Group { get; set; }
    /// <summary>The member's own code (<see cref="Loyalty.CouponCode"/>); null for the hold-out.</summary>
    public long? CouponCodeId { get; set; }
    /// <summary>The e-mail queued to them (<see cref="Mail.OutboxMail"/>); null for the hold-out.</summary>
    public long? MailId { get; set; }
    public DateTime DrawnAt { get; set; }
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>, IEntityTypeConfiguration<CampaignRecipient>
{
    public void Configure(EntityTypeBuilder<Campaign> campaign)
    {
        campaign.Property(c => c.Name).HasMaxLength(100);
        campaign.Property(c => c.Subject).HasMaxLength(150);
        campaign.Property(c => c.Message).HasMaxLength(2000);
        campaign.HasIndex(c => new { c.SentAt, c.SendAt });
        campaign.HasOne<Catalog.Shop>().WithMany().HasForeignKey(c => c.ShopId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<CampaignRecipient> recipient)
    {
        // A member is in a campaign's audience once: the second of two draws racing for it fails here.
        recipient.HasIndex(r => new { r.CampaignId, r.MemberId }).IsUnique();
        recipient.HasIndex(r => new { r.ShopId, r.MemberId, r.DrawnAt });
        recipient.HasOne<Campaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
