using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Plaza.Features.Nearby;

/// <summary>
/// Another node's shop directory this node subscribes to (<c>subscribe-directory</c>, or
/// <c>Plaza:Nearby:Directories</c>): pulled every <see cref="NearbyOptions.DirectoryPullInterval"/>; the
/// shops it lists join this node's directory as <see cref="KnownShopSource.Directory"/> and leave it
/// when it stops listing them.
/// </summary>
public sealed class DirectorySubscription
{
    public int Id { get; set; }
    /// <summary>What the operator named: the node's origin (its NodeInfo says where the directory is) or the collection itself.</summary>
    public required string Url { get; set; }
    /// <summary>The directory collection, once found.</summary>
    public string? CollectionUrl { get; set; }
    /// <summary>Added from configuration rather than by the command.</summary>
    public bool Configured { get; set; }
    public DateTime SubscribedAt { get; set; }
    public DateTime? LastPulledAt { get; set; }
    /// <summary>When the whole listing was last read.</summary>
    public DateTime? LastCompleteAt { get; set; }
    /// <summary>The collection's ETag from the last complete read; sent as If-None-Match.</summary>
    public string? ETag { get; set; }
    public int Listed { get; set; }
    public string? LastError { get; set; }
}

internal sealed class DirectorySubscriptionConfiguration : IEntityTypeConfiguration<DirectorySubscription>
{
    public void Configure(EntityTypeBuilder<DirectorySubscription> subscription)
    {
        subscription.HasIndex(s => s.Url).IsUnique();
        subscription.Property(s => s.Url).HasMaxLength(2048);
        subscription.Property(s => s.CollectionUrl).HasMaxLength(2048);
        subscription.Property(s => s.ETag).HasMaxLength(200);
        subscription.Property(s => s.LastError).HasMaxLength(500);
    }
}
