using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Notifications;

/// <summary>Who a push subscription belongs to: a member of staff (new orders) or a customer (their order).</summary>
public enum PushAudience
{
    Staff = 0,
    Customer = 1,
}

/// <summary>
/// A browser's Web Push subscription (RFC 8030): where its push service takes messages and the keys
/// they are encrypted for (RFC 8291). Staff subscribe a phone or tablet to a shop's new orders; a
/// customer subscribes to one order. Gone when the push service says so (404/410).
/// </summary>
public sealed class PushDevice : IShopOwned
{
    public const int MaxEndpointLength = 1000;

    public long Id { get; set; }
    public int ShopId { get; set; }
    public PushAudience Audience { get; set; }
    /// <summary>The member of staff who subscribed (staff devices).</summary>
    public int? AccountId { get; set; }
    /// <summary>The order a customer asked to hear about (customer devices).</summary>
    public Guid? OrderId { get; set; }
    public required string Endpoint { get; set; }
    /// <summary>The browser's P-256 public key, base64url (65 bytes uncompressed).</summary>
    public required string P256dh { get; set; }
    /// <summary>The browser's authentication secret, base64url (16 bytes).</summary>
    public required string Auth { get; set; }
    /// <summary>The language its notifications are worded in: the one the page was in when it subscribed.</summary>
    public string Language { get; set; } = "en";
    public DateTime CreatedAt { get; set; }
    public DateTime? LastDeliveredAt { get; set; }
}

/// <summary>A notification queued for one device, sent by <see cref="PushWorker"/>; one per device and topic.</summary>
public sealed class PushNote : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public long DeviceId { get; set; }
    /// <summary>What it tells of, e.g. <c>order:{id}:placed</c>: a device hears of a thing once.</summary>
    public required string Topic { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    /// <summary>The page a tap on the notification opens.</summary>
    public required string Url { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? GaveUpAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>When a board of the shop was last seen open, kept for other processes and restarts.</summary>
public sealed class ShopAttendance : IShopOwned
{
    public int ShopId { get; set; }
    public DateTime LastSeenAt { get; set; }
}

internal sealed class PushConfiguration : IEntityTypeConfiguration<PushDevice>, IEntityTypeConfiguration<PushNote>, IEntityTypeConfiguration<ShopAttendance>
{
    public void Configure(EntityTypeBuilder<PushDevice> device)
    {
        device.Property(d => d.Endpoint).HasMaxLength(PushDevice.MaxEndpointLength);
        device.Property(d => d.P256dh).HasMaxLength(100);
        device.Property(d => d.Auth).HasMaxLength(40);
        device.Property(d => d.Language).HasMaxLength(16);
        device.HasIndex(d => new { d.ShopId, d.Audience, d.Endpoint });
        device.HasIndex(d => d.OrderId);
        device.HasOne<Shop>().WithMany().HasForeignKey(d => d.ShopId);
    }

    public void Configure(EntityTypeBuilder<PushNote> note)
    {
        note.Property(n => n.Topic).HasMaxLength(100);
        note.Property(n => n.Title).HasMaxLength(200);
        note.Property(n => n.Body).HasMaxLength(1000);
        note.Property(n => n.Url).HasMaxLength(500);
        note.Property(n => n.LastError).HasMaxLength(1000);
        note.HasIndex(n => new { n.DeviceId, n.Topic }).IsUnique();
        note.HasIndex(n => n.NextAttemptAt).HasFilter("\"SentAt\" IS NULL AND \"GaveUpAt\" IS NULL");
        note.HasOne<PushDevice>().WithMany().HasForeignKey(n => n.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ShopAttendance> attendance)
    {
        attendance.HasKey(a => a.ShopId);
        attendance.HasOne<Shop>().WithOne().HasForeignKey<ShopAttendance>(a => a.ShopId);
    }
}
