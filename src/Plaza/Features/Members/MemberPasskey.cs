using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Members;

/// <summary>
/// A member's passkey (a WebAuthn credential): what proves on a later visit that it is the same member, with one tap and
/// no code. The node keeps only the public key; the private key never leaves the member's phone or password manager.
/// </summary>
public sealed class MemberPasskey : IProgrammeOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public long MemberId { get; set; }
    /// <summary>The authenticator's id for the credential (at most 1,023 bytes, WebAuthn §5.8.3); unique per shop.</summary>
    public required byte[] CredentialId { get; set; }
    /// <summary>The COSE public key the authenticator made; checks each signature.</summary>
    public required byte[] PublicKey { get; set; }
    /// <summary>
    /// The member's WebAuthn user handle, the same for all their passkeys: a discoverable credential hands it back
    /// at sign-in, and it must match. Random, never the member's id or address (WebAuthn §14.6.1).
    /// </summary>
    public required byte[] UserHandle { get; set; }
    /// <summary>The authenticator's counter at the last use; a counter that goes back means a cloned key (WebAuthn §6.1.1).</summary>
    public long SignCount { get; set; }
    /// <summary>How the browser may reach the authenticator ("internal", "hybrid", …), comma-separated, as it reported them.</summary>
    public string? Transports { get; set; }
    /// <summary>The authenticator's model (all zeros when it does not say, as most passkey providers do).</summary>
    public Guid AaGuid { get; set; }
    /// <summary>What the member called it ("iPhone"); optional.</summary>
    public string? Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    /// <summary>A new member's user handle: 32 random bytes (WebAuthn allows up to 64).</summary>
    public static byte[] NewUserHandle() => RandomNumberGenerator.GetBytes(32);
}

public enum PasskeyCeremonyKind
{
    /// <summary>A signed-in member adds a passkey.</summary>
    Add,
    /// <summary>Someone joins the shop with a passkey alone.</summary>
    Join,
    /// <summary>Someone signs in with a passkey they already have.</summary>
    SignIn,
}

/// <summary>
/// The options (and so the challenge) the node sent for one WebAuthn ceremony, kept until the browser answers. Kept in the
/// store, not in memory, so any process behind the proxy can finish the ceremony; deleted by the answer that uses it (a
/// conditional delete, so a replayed answer finds nothing) or once expired. It holds no personal data.
/// </summary>
public sealed class PasskeyCeremony : IProgrammeOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public required string Token { get; set; }
    public PasskeyCeremonyKind Kind { get; set; }
    /// <summary>The member adding a passkey; null when joining or signing in.</summary>
    public long? MemberId { get; set; }
    /// <summary>The options as sent to the browser (Fido2's JSON), which the answer is checked against.</summary>
    public required string Options { get; set; }
    public DateTime ExpiresAt { get; set; }

    /// <summary>Long enough for a person to find their phone and confirm; the browser's own timeout (Fido2's default) is one minute.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

internal sealed class MemberPasskeyConfiguration : IEntityTypeConfiguration<MemberPasskey>, IEntityTypeConfiguration<PasskeyCeremony>
{
    public void Configure(EntityTypeBuilder<MemberPasskey> passkey)
    {
        passkey.HasIndex(p => new { p.ShopId, p.CredentialId }).IsUnique();
        passkey.HasOne<Member>().WithMany().HasForeignKey(p => p.MemberId).OnDelete(DeleteBehavior.Cascade);
        passkey.Property(p => p.CredentialId).HasMaxLength(1023);
        passkey.Property(p => p.PublicKey).HasMaxLength(2048);
        passkey.Property(p => p.UserHandle).HasMaxLength(64);
        passkey.Property(p => p.Transports).HasMaxLength(100);
        passkey.Property(p => p.Name).HasMaxLength(60);
    }

    public void Configure(EntityTypeBuilder<PasskeyCeremony> ceremony)
    {
        ceremony.HasIndex(c => c.Token).IsUnique();
        ceremony.HasIndex(c => new { c.ShopId, c.ExpiresAt });
        ceremony.HasOne<Catalog.Shop>().WithMany().HasForeignKey(c => c.ShopId).OnDelete(DeleteBehavior.Cascade);
        ceremony.HasOne<Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.Cascade);
        ceremony.Property(c => c.Token).HasMaxLength(32);
        ceremony.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        ceremony.Property(c => c.Options).HasMaxLength(8000);
    }
}
