using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Follows;

/// <summary>A remote actor a shop follows (or asked to follow and awaits the answer).</summary>
public sealed class Following : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public required string ActorId { get; set; }
    public required string FollowActivityId { get; set; }
    public bool Accepted { get; set; }
    public DateTime RequestedAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    /// <summary>A neighbourhood hub the shop joined (from the hubs page) rather than a shop it follows.</summary>
    public bool IsHub { get; set; }
}

internal sealed class FollowingConfiguration : IEntityTypeConfiguration<Following>
{
    public void Configure(EntityTypeBuilder<Following> following)
    {
        following.HasIndex(f => new { f.ShopId, f.ActorId }).IsUnique();
        following.HasIndex(f => f.FollowActivityId).IsUnique();
        following.Property(f => f.ActorId).HasMaxLength(Iri.MaxLength);
        following.Property(f => f.FollowActivityId).HasMaxLength(Iri.MaxLength);
        following.HasOne<Shop>().WithMany().HasForeignKey(f => f.ShopId);
    }
}
