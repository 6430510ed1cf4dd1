using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Plaza.Features.SignUp;

/// <summary>
/// The node's own settings, one row, changed by its operator in the console. Sign-up is closed until the
/// operator opens it (a node run by a neighbourhood or a merchants' association hosts many shops).
/// </summary>
public sealed class NodeSettings
{
    public int Id { get; set; } = 1;
    /// <summary>Anyone may ask to open a shop here: they confirm their e-mail, then the operator approves.</summary>
    public bool OpenSignUp { get; set; }
}

public enum SignUpState
{
    /// <summary>Waiting for the e-mailed code.</summary>
    Unverified,
    /// <summary>E-mail confirmed; waiting for the operator.</summary>
    Verified,
    Approved,
    Declined,
}

/// <summary>
/// Someone asking to open a shop on this node: who, which shop, and how far it got. Reached by an unguessable
/// <see cref="Token"/>; nothing exists in the console (no account, no shop) until the operator approves.
/// </summary>
public sealed class SignUpRequest
{
    public long Id { get; set; }
    public required string Token { get; set; }
    /// <summary>Lower-cased, trimmed.</summary>
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    /// <summary>Hashed the way console passwords are, so the account can be made from it without the password.</summary>
    public required string PasswordHash { get; set; }
    public required string ShopName { get; set; }
    public required string ShopSlug { get; set; }
    public required string Currency { get; set; }
    public required string TimeZone { get; set; }
    /// <summary>The shop's language and the language of the mail to the asker.</summary>
    public required string Language { get; set; }
    public SignUpState State { get; set; }
    /// <summary>SHA-256 of the six-digit code sent by e-mail.</summary>
    public required string CodeHash { get; set; }
    public DateTime CodeExpiresAt { get; set; }
    public int CodeAttempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? VerifiedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    /// <summary>The operator's e-mail.</summary>
    public string? DecidedBy { get; set; }

    public const int MaxCodeAttempts = 5;
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(30);

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    /// <summary>Compares in constant time, so the answer's timing tells nothing of the code.</summary>
    public bool CodeMatches(string code) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(code)), Encoding.ASCII.GetBytes(CodeHash));
}

internal sealed class SignUpConfiguration : IEntityTypeConfiguration<SignUpRequest>, IEntityTypeConfiguration<NodeSettings>
{
    public void Configure(EntityTypeBuilder<SignUpRequest> request)
    {
        request.HasIndex(r => r.Token).IsUnique();
        request.HasIndex(r => new { r.State, r.CreatedAt });
        request.Property(r => r.Token).HasMaxLength(32);
        request.Property(r => r.Email).HasMaxLength(320);
        request.Property(r => r.DisplayName).HasMaxLength(80);
        request.Property(r => r.PasswordHash).HasMaxLength(200);
        request.Property(r => r.ShopName).HasMaxLength(120);
        request.Property(r => r.ShopSlug).HasMaxLength(63);
        request.Property(r => r.Currency).HasMaxLength(3);
        request.Property(r => r.TimeZone).HasMaxLength(64);
        request.Property(r => r.Language).HasMaxLength(16);
        request.Property(r => r.CodeHash).HasMaxLength(64);
        request.Property(r => r.DecidedBy).HasMaxLength(320);
        request.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
    }

    public void Configure(EntityTypeBuilder<NodeSettings> settings) => settings.Property(s => s.Id).ValueGeneratedNever();
}
