using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Federation;

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

internal sealed class RemoteActorConfiguration : IEntityTypeConfiguration<RemoteActor>
{
    public void Configure(EntityTypeBuilder<RemoteActor> actor)
    {
        actor.HasKey(a => a.ActorId);
        actor.HasIndex(a => a.KeyId);
        actor.Property(a => a.ActorId).HasMaxLength(Iri.MaxLength);
        actor.Property(a => a.KeyId).HasMaxLength(Iri.MaxLength);
        actor.Property(a => a.Inbox).HasMaxLength(Iri.MaxLength);
        actor.Property(a => a.SharedInbox).HasMaxLength(Iri.MaxLength);
        actor.Property(a => a.PreferredUsername).HasMaxLength(255);
    }
}
