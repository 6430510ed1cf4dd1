using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Federation;

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

internal sealed class InboxActivityConfiguration : IEntityTypeConfiguration<InboxActivity>
{
    public void Configure(EntityTypeBuilder<InboxActivity> activity)
    {
        activity.HasIndex(a => a.ActivityId).IsUnique();
        activity.HasIndex(a => new { a.ProcessedAt, a.LeaseUntil });
        activity.HasIndex(a => new { a.ActorId, a.ReceivedAt });
        activity.HasIndex(a => new { a.ActorHost, a.ReceivedAt });
        activity.Property(a => a.ActivityId).HasMaxLength(Iri.MaxLength);
        activity.Property(a => a.ActorHost).HasMaxLength(255);
        activity.Property(a => a.ActorId).HasMaxLength(Iri.MaxLength);
        activity.Property(a => a.Type).HasMaxLength(64);
        activity.Property(a => a.Error).HasMaxLength(2000);
    }
}
