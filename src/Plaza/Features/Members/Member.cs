using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Members;

/// <summary>
/// A customer who joined a shop: the shop's own, not a platform's. Proven by an e-mailed code or by a passkey
/// (<see cref="MemberPasskey"/>); a name and a phone are optional and unverified. Deleting the account removes this row
/// and its passkeys and anonymises the orders.
/// </summary>
public sealed class Member : IProgrammeOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    /// <summary>Lower-cased and trimmed; unique per shop. Null for a member who joined with a passkey alone.</summary>
    public string? Email { get; set; }
    public string? Name { get; set; }
    /// <summary>E.164 (<c>+8613800138000</c>, see <see cref="MemberPhones"/>); optional and unverified: nothing proves the member holds it.</summary>
    public string? Phone { get; set; }
    /// <summary>The language the member's e-mail is written in.</summary>
    public required string Language { get; set; }
    public DateTime JoinedAt { get; set; }
    /// <summary>Changes when the member signs out everywhere or is deleted: every cookie carrying the old one stops working.</summary>
    public required string SecurityStamp { get; set; }
    /// <summary>When the member agreed to hear of offers, and the words they agreed to; null when they did not (or withdrew).</summary>
    public DateTime? MarketingConsentAt { get; set; }
    public string? MarketingConsentText { get; set; }
    public DateTime? MarketingWithdrawnAt { get; set; }
    /// <summary>The month and day of the member's birthday, if they gave it (no year: the birthday journey needs no age).</summary>
    public int? BirthMonth { get; set; }
    public int? BirthDay { get; set; }
    /// <summary>The sum of the member's points entries in the ledger (<see cref="Loyalty.LedgerEntry"/>), moved with them.</summary>
    public long Points { get; set; }
    /// <summary>Stored value in minor units: the sum of the member's balance entries, never below zero.</summary>
    public long Balance { get; set; }

    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Members whose e-mail or name contains what staff typed (full-width made plain). E-mail addresses are stored
    /// lower-cased; names are matched as typed (most are Chinese, which has no case).
    /// </summary>
    public static IQueryable<Member> Matching(IQueryable<Member> members, string typed)
    {
        var term = Typed.Plain(typed).Trim();
        var lower = term.ToLowerInvariant();
        return members.Where(m => (m.Email != null && m.Email.Contains(lower)) || (m.Name != null && m.Name.Contains(term)));
    }
}

/// <summary>A six-digit code e-mailed to someone joining or signing in, reached by an unguessable token in the link.</summary>
public sealed class MemberCode : IProgrammeOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    public required string Token { get; set; }
    public required string Email { get; set; }
    public required string CodeHash { get; set; }
    /// <summary>What the person ticked when asking for the code: it is recorded on the member when the code is confirmed.</summary>
    public string? ConsentText { get; set; }
    public required string Language { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? UsedAt { get; set; }

    public const int MaxAttempts = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    public bool Matches(string code) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(code)), Encoding.ASCII.GetBytes(CodeHash));
}

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>, IEntityTypeConfiguration<MemberCode>
{
    public void Configure(EntityTypeBuilder<Member> member)
    {
        member.HasIndex(m => new { m.ShopId, m.Email }).IsUnique();
        member.HasOne<Catalog.Shop>().WithMany().HasForeignKey(m => m.ShopId).OnDelete(DeleteBehavior.Cascade);
        member.Property(m => m.Email).HasMaxLength(320);
        member.Property(m => m.Name).HasMaxLength(80);
        member.Property(m => m.Phone).HasMaxLength(16);
        member.Property(m => m.Language).HasMaxLength(16);
        member.Property(m => m.SecurityStamp).HasMaxLength(32);
        member.Property(m => m.MarketingConsentText).HasMaxLength(500);
        // The writer's conditional update is what keeps it so; the store refuses it too, in case any other path forgets.
        member.ToTable(t => t.HasCheckConstraint("CK_Members_Balance", "\"Balance\" >= 0"));
    }

    public void Configure(EntityTypeBuilder<MemberCode> code)
    {
        code.HasIndex(c => c.Token).IsUnique();
        code.HasIndex(c => new { c.ShopId, c.Email, c.CreatedAt });
        code.HasOne<Catalog.Shop>().WithMany().HasForeignKey(c => c.ShopId).OnDelete(DeleteBehavior.Cascade);
        code.Property(c => c.Token).HasMaxLength(32);
        code.Property(c => c.Email).HasMaxLength(320);
        code.Property(c => c.CodeHash).HasMaxLength(64);
        code.Property(c => c.ConsentText).HasMaxLength(500);
        code.Property(c => c.Language).HasMaxLength(16);
    }
}
