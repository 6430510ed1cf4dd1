using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Features.Catalog;

namespace Plaza.Features.Federation;

/// <summary>A shop's RSA key pair, made on first need; the public half is published in its actor.</summary>
public sealed class ShopKey : IShopOwned
{
    public int ShopId { get; set; }
    public required string PublicKeyPem { get; set; }
    public required string PrivateKeyPem { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A key that belongs to the node rather than a shop (the instance actor's, for signed GETs).</summary>
public sealed class NodeKey
{
    public required string Name { get; set; }
    public required string PublicKeyPem { get; set; }
    public required string PrivateKeyPem { get; set; }
    public DateTime CreatedAt { get; set; }
}

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
    public DateTime PublishedAt { get; set; }
    /// <summary>When the owner last edited it; the Note then carries <c>updated</c> and an Update went to followers.</summary>
    public DateTime? UpdatedAt { get; set; }
    /// <summary>The id of the latest Update, so the console can show how that edit's deliveries stand.</summary>
    public string? UpdateActivityId { get; set; }
    /// <summary>When the owner took it down; its Note then answers 410 Gone and a Delete went to followers.</summary>
    public DateTime? DeletedAt { get; set; }
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

/// <summary>
/// A signed activity that arrived in an inbox, stored as received and processed later. The
/// unique activity id makes a second delivery of the same activity a no-op.
/// </summary>
public sealed class InboxActivity
{
    public long Id { get; set; }
    public required string ActivityId { get; set; }
    public required string ActorId { get; set; }
    /// <summary>The actor's host, so a server's daily share can be counted.</summary>
    public string ActorHost { get; set; } = "";
    public required string Type { get; set; }
    public required string Payload { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime? ProcessedAt { get; set; }
    public Guid? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
}

/// <summary>
/// One activity to one inbox, written in the transaction that caused it and drained by
/// <see cref="DeliveryWorker"/>; signed afresh on every attempt.
/// </summary>
public sealed class Delivery
{
    public long Id { get; set; }
    /// <summary>The sending shop, whose key signs; null when the node's instance actor sends (a Flag).</summary>
    public int? ShopId { get; set; }
    public required string ActivityId { get; set; }
    public required string Inbox { get; set; }
    public required string Host { get; set; }
    public required string Payload { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? DeliveredAt { get; set; }
    /// <summary>Set when the delivery was given up (a permanent refusal or too many attempts).</summary>
    public DateTime? FailedAt { get; set; }
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    public Guid? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    /// <summary>Set when one of the shop's neighbourhood hubs sends it: signed with the hub's key, not the shop's.</summary>
    public int? HubId { get; set; }
}

/// <summary>A remote actor document fetched and cached: its key verifies signatures, its inboxes take deliveries.</summary>
public sealed class RemoteActor
{
    public required string ActorId { get; set; }
    public required string KeyId { get; set; }
    public required string PublicKeyPem { get; set; }
    public required string Inbox { get; set; }
    public string? SharedInbox { get; set; }
    public string? PreferredUsername { get; set; }
    public DateTime FetchedAt { get; set; }
}

/// <summary>A domain the operator blocked: nothing from it is accepted or fetched.</summary>
public sealed class BlockedDomain
{
    public required string Domain { get; set; }
    public string? Reason { get; set; }
    public DateTime BlockedAt { get; set; }
}

internal sealed class FederationConfiguration :
    IEntityTypeConfiguration<ShopKey>, IEntityTypeConfiguration<NodeKey>, IEntityTypeConfiguration<Follower>,
    IEntityTypeConfiguration<Following>, IEntityTypeConfiguration<Promotion>, IEntityTypeConfiguration<InboxActivity>,
    IEntityTypeConfiguration<Delivery>, IEntityTypeConfiguration<RemoteActor>, IEntityTypeConfiguration<BlockedDomain>,
    IEntityTypeConfiguration<PendingFollower>, IEntityTypeConfiguration<FollowerPolicy>, IEntityTypeConfiguration<ShopBlock>,
    IEntityTypeConfiguration<AnnouncementPolicy>
{
    private const int Iri = 2048;

    public void Configure(EntityTypeBuilder<ShopKey> key)
    {
        key.HasKey(k => k.ShopId);
        key.HasOne<Shop>().WithOne().HasForeignKey<ShopKey>(k => k.ShopId);
    }

    public void Configure(EntityTypeBuilder<NodeKey> key)
    {
        key.HasKey(k => k.Name);
        key.Property(k => k.Name).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<Follower> follower)
    {
        follower.HasIndex(f => new { f.ShopId, f.ActorId }).IsUnique();
        follower.Property(f => f.ActorId).HasMaxLength(Iri);
        follower.Property(f => f.Inbox).HasMaxLength(Iri);
        follower.Property(f => f.SharedInbox).HasMaxLength(Iri);
        follower.Property(f => f.FollowActivityId).HasMaxLength(Iri);
        follower.HasOne<Shop>().WithMany().HasForeignKey(f => f.ShopId);
    }

    public void Configure(EntityTypeBuilder<Following> following)
    {
        following.HasIndex(f => new { f.ShopId, f.ActorId }).IsUnique();
        following.HasIndex(f => f.FollowActivityId).IsUnique();
        following.Property(f => f.ActorId).HasMaxLength(Iri);
        following.Property(f => f.FollowActivityId).HasMaxLength(Iri);
        following.HasOne<Shop>().WithMany().HasForeignKey(f => f.ShopId);
    }

    public void Configure(EntityTypeBuilder<Promotion> promotion)
    {
        promotion.Property(p => p.Text).HasMaxLength(5000);
        promotion.Property(p => p.Link).HasMaxLength(Iri);
        promotion.Property(p => p.ImageUrl).HasMaxLength(500);
        promotion.Property(p => p.ImageAlt).HasMaxLength(Publishing.MaxAltLength);
        promotion.Property(p => p.UpdateActivityId).HasMaxLength(Iri);
        // Deleting an item keeps the posts that linked to it (their link still leads to the storefront).
        promotion.HasOne<Item>().WithMany().HasForeignKey(p => p.ItemId).OnDelete(DeleteBehavior.SetNull);
        promotion.HasIndex(p => new { p.ShopId, p.PublishedAt });
        promotion.HasOne<Shop>().WithMany().HasForeignKey(p => p.ShopId);
    }

    public void Configure(EntityTypeBuilder<InboxActivity> activity)
    {
        activity.HasIndex(a => a.ActivityId).IsUnique();
        activity.HasIndex(a => new { a.ProcessedAt, a.LeaseUntil });
        activity.HasIndex(a => new { a.ActorId, a.ReceivedAt });
        activity.HasIndex(a => new { a.ActorHost, a.ReceivedAt });
        activity.Property(a => a.ActivityId).HasMaxLength(Iri);
        activity.Property(a => a.ActorHost).HasMaxLength(255);
        activity.Property(a => a.ActorId).HasMaxLength(Iri);
        activity.Property(a => a.Type).HasMaxLength(64);
        activity.Property(a => a.Error).HasMaxLength(2000);
    }

    public void Configure(EntityTypeBuilder<Delivery> delivery)
    {
        delivery.HasIndex(d => new { d.DeliveredAt, d.FailedAt, d.NextAttemptAt });
        delivery.HasIndex(d => new { d.ActivityId, d.Inbox }).IsUnique();
        delivery.Property(d => d.ActivityId).HasMaxLength(Iri);
        delivery.Property(d => d.Inbox).HasMaxLength(Iri);
        delivery.Property(d => d.Host).HasMaxLength(255);
        delivery.Property(d => d.LastError).HasMaxLength(2000);
        delivery.HasOne<Shop>().WithMany().HasForeignKey(d => d.ShopId);
    }

    public void Configure(EntityTypeBuilder<RemoteActor> actor)
    {
        actor.HasKey(a => a.ActorId);
        actor.HasIndex(a => a.KeyId);
        actor.Property(a => a.ActorId).HasMaxLength(Iri);
        actor.Property(a => a.KeyId).HasMaxLength(Iri);
        actor.Property(a => a.Inbox).HasMaxLength(Iri);
        actor.Property(a => a.SharedInbox).HasMaxLength(Iri);
        actor.Property(a => a.PreferredUsername).HasMaxLength(255);
    }

    public void Configure(EntityTypeBuilder<BlockedDomain> domain)
    {
        domain.HasKey(d => d.Domain);
        domain.Property(d => d.Domain).HasMaxLength(255);
        domain.Property(d => d.Reason).HasMaxLength(500);
    }

    public void Configure(EntityTypeBuilder<PendingFollower> pending)
    {
        pending.HasIndex(p => new { p.ShopId, p.ActorId }).IsUnique();
        pending.Property(p => p.ActorId).HasMaxLength(Iri);
        pending.Property(p => p.Inbox).HasMaxLength(Iri);
        pending.Property(p => p.SharedInbox).HasMaxLength(Iri);
        pending.Property(p => p.FollowActivityId).HasMaxLength(Iri);
        pending.HasOne<Shop>().WithMany().HasForeignKey(p => p.ShopId);
    }

    public void Configure(EntityTypeBuilder<FollowerPolicy> policy)
    {
        policy.HasKey(p => p.ShopId);
        policy.HasOne<Shop>().WithOne().HasForeignKey<FollowerPolicy>(p => p.ShopId);
    }

    public void Configure(EntityTypeBuilder<AnnouncementPolicy> policy)
    {
        policy.HasKey(p => p.ShopId);
        policy.HasOne<Shop>().WithOne().HasForeignKey<AnnouncementPolicy>(p => p.ShopId);
    }

    public void Configure(EntityTypeBuilder<ShopBlock> block)
    {
        block.HasIndex(b => new { b.ShopId, b.ActorId }).IsUnique();
        block.Property(b => b.ActorId).HasMaxLength(Iri);
        block.HasOne<Shop>().WithMany().HasForeignKey(b => b.ShopId);
    }
}
