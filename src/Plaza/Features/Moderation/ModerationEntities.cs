using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Plaza.Features.Moderation;

/// <summary>A remote actor the operator blocked node-wide: nothing from it is accepted, stored or shown.</summary>
public sealed class BlockedActor
{
    public required string ActorId { get; set; }
    public string? Reason { get; set; }
    public DateTime BlockedAt { get; set; }
}

public enum ReportSource
{
    /// <summary>A customer used "Report this shop" on a storefront of this node.</summary>
    Storefront,
    /// <summary>A customer reported a remote shop listed in the nearby directory.</summary>
    Nearby,
    /// <summary>Another server sent a <c>Flag</c> activity.</summary>
    Flag,
}

/// <summary>
/// A complaint about a shop for the node's operator: about one of this node's shops (<see cref="ShopSlug"/>)
/// or a remote one (<see cref="ActorId"/>, then also forwarded to its node as a <c>Flag</c>).
/// </summary>
public sealed class Report
{
    public long Id { get; set; }
    public ReportSource Source { get; set; }
    /// <summary>The reported shop on this node, when it is one.</summary>
    public string? ShopSlug { get; set; }
    /// <summary>The reported actor (a remote shop, or this node's shop actor named by an incoming Flag).</summary>
    public string? ActorId { get; set; }
    /// <summary>Who sent the Flag; customers on the storefront stay anonymous.</summary>
    public string? ReporterActorId { get; set; }
    public required string Comment { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The id of the Flag sent to the reported shop's node, for remote shops.</summary>
    public string? ForwardedActivityId { get; set; }
    /// <summary>What the operator made of it; null while it waits.</summary>
    public ReportResolution? Resolution { get; set; }
    public DateTime? ResolvedAt { get; set; }
    /// <summary>The e-mail of the operator's account that resolved or dismissed it.</summary>
    public string? ResolvedBy { get; set; }
    /// <summary>
    /// Set while the reported actor could not be fetched to learn its inbox: the Flag is queued at that
    /// time (<see cref="PendingFlags"/>); cleared once queued or given up.
    /// </summary>
    public DateTime? ForwardRetryAt { get; set; }
    public int ForwardAttempts { get; set; }
}

public enum ReportResolution
{
    /// <summary>The operator acted on it (a block, a word with the shop).</summary>
    Resolved,
    /// <summary>Nothing to act on.</summary>
    Dismissed,
}

/// <summary>
/// One report a client sent, by a hash of its address, kept only as long as the rate-limit window:
/// counted in the store so every app process on one database enforces the same limit.
/// </summary>
public sealed class ReportAttempt
{
    public long Id { get; set; }
    public required string ClientKey { get; set; }
    public DateTime At { get; set; }
}

internal sealed class ModerationConfiguration : IEntityTypeConfiguration<BlockedActor>, IEntityTypeConfiguration<Report>, IEntityTypeConfiguration<ReportAttempt>
{
    public void Configure(EntityTypeBuilder<BlockedActor> actor)
    {
        actor.HasKey(a => a.ActorId);
        actor.Property(a => a.ActorId).HasMaxLength(2048);
        actor.Property(a => a.Reason).HasMaxLength(500);
    }

    public void Configure(EntityTypeBuilder<Report> report)
    {
        report.HasIndex(r => r.CreatedAt);
        report.Property(r => r.Source).HasConversion<string>().HasMaxLength(16);
        report.Property(r => r.ShopSlug).HasMaxLength(64);
        report.Property(r => r.ActorId).HasMaxLength(2048);
        report.Property(r => r.ReporterActorId).HasMaxLength(2048);
        report.Property(r => r.Comment).HasMaxLength(2000);
        report.Property(r => r.ForwardedActivityId).HasMaxLength(2048);
        report.Property(r => r.Resolution).HasConversion<string>().HasMaxLength(16);
        report.Property(r => r.ResolvedBy).HasMaxLength(254);
        report.HasIndex(r => r.ForwardRetryAt);
    }

    public void Configure(EntityTypeBuilder<ReportAttempt> attempt)
    {
        attempt.HasIndex(a => new { a.ClientKey, a.At });
        attempt.HasIndex(a => a.At);
        attempt.Property(a => a.ClientKey).HasMaxLength(64);
    }
}
