using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Federation;

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

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> delivery)
    {
        delivery.HasIndex(d => new { d.DeliveredAt, d.FailedAt, d.NextAttemptAt });
        delivery.HasIndex(d => new { d.ActivityId, d.Inbox }).IsUnique();
        delivery.Property(d => d.ActivityId).HasMaxLength(Iri.MaxLength);
        delivery.Property(d => d.Inbox).HasMaxLength(Iri.MaxLength);
        delivery.Property(d => d.Host).HasMaxLength(255);
        delivery.Property(d => d.LastError).HasMaxLength(2000);
        delivery.HasOne<Shop>().WithMany().HasForeignKey(d => d.ShopId);
    }
}
