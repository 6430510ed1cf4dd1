using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Follows;

/// <summary>A remote actor that follows a shop; deliveries go to its (shared) inbox.</summary>
public sealed class Follower : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public required string ActorId { get; set; }
    public required string Inbox { get; set; }
    public string? SharedInbox { get; set; }
    /// <summary>The id of the Follow activity, so an Undo naming it removes exactly this follow.</summary>
    public string? FollowActivityId { get; set; }
    public DateTime FollowedAt { get; set; }
}

/// <summary>
/// A Follow held for the owner's decision while the shop approves followers by hand; the original
/// activity is kept so the Accept or Reject can embed it as received.
/// </summary>
public sealed class PendingFollower : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public required string ActorId { get; set; }
    public required string Inbox { get; set; }
    public string? SharedInbox { get; set; }
    public required string FollowActivityId { get; set; }
    public required string FollowPayload { get; set; }
    public DateTime RequestedAt { get; set; }
}

/// <summary>A shop's choices about who may follow it; no row means followers are accepted automatically.</summary>
public sealed class FollowerPolicy : IShopOwned
{
    public int ShopId { get; set; }
    /// <summary>Published as <c>manuallyApprovesFollowers</c>; Follows then wait as <see cref="PendingFollower"/>s.</summary>
    public bool ManuallyApprovesFollowers { get; set; }
}

/// <summary>An actor a shop's owner blocked: its Follows and other activities addressed to that shop are refused.</summary>
public sealed class ShopBlock : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public required string ActorId { get; set; }
    public DateTime BlockedAt { get; set; }
}

internal sealed class FollowerConfiguration : IEntityTypeConfiguration<Follower>, IEntityTypeConfiguration<PendingFollower>, IEntityTypeConfiguration<FollowerPolicy>, IEntityTypeConfiguration<ShopBlock>
{
    public void Configure(EntityTypeBuilder<Follower> follower)
    {
        follower.HasIndex(f => new { f.ShopId, f.ActorId }).IsUnique();
        follower.Property(f => f.ActorId).HasMaxLength(Iri.MaxLength);
        follower.Property(f => f.Inbox).HasMaxLength(Iri.MaxLength);
        follower.Property(f => f.SharedInbox).HasMaxLength(Iri.MaxLength);
        follower.Property(f => f.FollowActivityId).HasMaxLength(Iri.MaxLength);
        follower.HasOne<Shop>().WithMany().HasForeignKey(f => f.ShopId);
    }

    public void Configure(EntityTypeBuilder<PendingFollower> pending)
    {
        pending.HasIndex(p => new { p.ShopId, p.ActorId }).IsUnique();
        pending.Property(p => p.ActorId).HasMaxLength(Iri.MaxLength);
        pending.Property(p => p.Inbox).HasMaxLength(Iri.MaxLength);
        pending.Property(p => p.SharedInbox).HasMaxLength(Iri.MaxLength);
        pending.Property(p => p.FollowActivityId).HasMaxLength(Iri.MaxLength);
        pending.HasOne<Shop>().WithMany().HasForeignKey(p => p.ShopId);
    }

    public void Configure(EntityTypeBuilder<FollowerPolicy> policy)
    {
        policy.HasKey(p => p.ShopId);
        policy.HasOne<Shop>().WithOne().HasForeignKey<FollowerPolicy>(p => p.ShopId);
    }

    public void Configure(EntityTypeBuilder<ShopBlock> block)
    {
        block.HasIndex(b => new { b.ShopId, b.ActorId }).IsUnique();
        block.Property(b => b.ActorId).HasMaxLength(Iri.MaxLength);
        block.HasOne<Shop>().WithMany().HasForeignKey(b => b.ShopId);
    }
}
