using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;

namespace Plaza.Features.Hubs;

/// <summary>
/// A neighbourhood hub (FEP-1b12): a <c>Group</c> actor at <c>/hubs/{name}</c>, run by one of this
/// node's shops, that re-shares (<c>Announce</c>) its members' public posts to all its members.
/// Shops on any node join by following it; it follows them back to receive their posts.
/// </summary>
public sealed class Hub
{
    public int Id { get; set; }
    /// <summary>The shop that runs the hub; its deliveries count as that shop's.</summary>
    public int ShopId { get; set; }
    /// <summary>The hub's handle, unique on the node: <c>/hubs/{name}</c>.</summary>
    public required string Name { get; set; }
    public required string DisplayName { get; set; }
    public string Summary { get; set; } = "";
    public required string PublicKeyPem { get; set; }
    public required string PrivateKeyPem { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Join requests wait for the owner's approval (<see cref="HubMember.Pending"/>) instead of being accepted at once.</summary>
    public bool ApprovesMembers { get; set; }
}

/// <summary>A remote (or local) actor that follows a hub, and the hub's follow back to it.</summary>
public sealed class HubMember
{
    public long Id { get; set; }
    public int HubId { get; set; }
    public required string ActorId { get; set; }
    public required string Inbox { get; set; }
    public string? SharedInbox { get; set; }
    public string? FollowActivityId { get; set; }
    /// <summary>The hub's own Follow of the member, so the member's posts reach the hub.</summary>
    public required string FollowBackId { get; set; }
    public bool FollowBackAccepted { get; set; }
    /// <summary>A join request the hub's owner has not answered: not yet accepted, followed back or re-shared to.</summary>
    public bool Pending { get; set; }
    public DateTime JoinedAt { get; set; }
}

internal sealed class HubConfiguration : IEntityTypeConfiguration<Hub>, IEntityTypeConfiguration<HubMember>
{
    public void Configure(EntityTypeBuilder<Hub> hub)
    {
        hub.HasIndex(h => h.Name).IsUnique();
        hub.Property(h => h.Name).HasMaxLength(40);
        hub.Property(h => h.DisplayName).HasMaxLength(120);
        hub.Property(h => h.Summary).HasMaxLength(2000);
        hub.HasOne<Shop>().WithMany().HasForeignKey(h => h.ShopId);
    }

    public void Configure(EntityTypeBuilder<HubMember> member)
    {
        member.HasIndex(m => new { m.HubId, m.ActorId }).IsUnique();
        member.HasIndex(m => m.FollowBackId).IsUnique();
        member.HasIndex(m => m.ActorId);
        member.Property(m => m.ActorId).HasMaxLength(Iri.MaxLength);
        member.Property(m => m.Inbox).HasMaxLength(Iri.MaxLength);
        member.Property(m => m.SharedInbox).HasMaxLength(Iri.MaxLength);
        member.Property(m => m.FollowActivityId).HasMaxLength(Iri.MaxLength);
        member.Property(m => m.FollowBackId).HasMaxLength(Iri.MaxLength);
        member.HasOne<Hub>().WithMany().HasForeignKey(m => m.HubId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class HubKeys
{
    /// <summary>The key a hub's deliveries are signed with: its own, so the signer is the Announce's actor.</summary>
    public static async Task<Plaza.Federation.Signatures.SigningKey> SigningKeyAsync(Data.PlazaDb db, ActorUrls urls, int hubId, CancellationToken ct)
    {
        var hub = await db.Hubs.AsNoTracking().SingleAsync(h => h.Id == hubId, ct);
        return new(urls.HubKeyId(hub.Name), hub.PrivateKeyPem);
    }
}

/// <summary>The IRIs of a hub, under the node's <c>Plaza:PublicUrl</c> like every other actor.</summary>
public static class HubUrls
{
    public static string Hub(this ActorUrls urls, string name) => $"{urls.Origin}/hubs/{Uri.EscapeDataString(name)}";

    public static string HubKeyId(this ActorUrls urls, string name) => urls.Hub(name) + "#main-key";

    public static string HubInbox(this ActorUrls urls, string name) => urls.Hub(name) + "/inbox";

    public static string HubOutbox(this ActorUrls urls, string name) => urls.Hub(name) + "/outbox";

    public static string HubFollowers(this ActorUrls urls, string name) => urls.Hub(name) + "/followers";

    public static string HubActivity(this ActorUrls urls, string name, string kind, Guid id) => $"{urls.Hub(name)}/activities/{kind}/{id:N}";

    /// <summary>
    /// One Announce id per hub and re-shared object, so processing the same post twice (a retry, two
    /// inboxes) queues nothing new: deliveries are unique per activity id and inbox.
    /// </summary>
    public static string HubAnnounce(this ActorUrls urls, string name, string objectId) =>
        $"{urls.Hub(name)}/announces/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(objectId)))[..32]}";

    /// <summary>The hub's name when <paramref name="iri"/> is one of this node's hubs; null otherwise.</summary>
    public static string? HubNameOf(this ActorUrls urls, string? iri) => urls.NameUnder("/hubs/", iri);
}
