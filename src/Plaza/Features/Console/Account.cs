using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;

namespace Plaza.Features.Console;

public enum ShopRole
{
    Staff,
    Owner,
}

/// <summary>A person who signs in to the console: an owner or staff of one or more shops.</summary>
public sealed class Account
{
    public int Id { get; set; }
    /// <summary>Lower-cased, trimmed; unique on the node.</summary>
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    /// <summary>Changes on password change and "sign out everywhere"; cookies carrying an older one stop working.</summary>
    public required string SecurityStamp { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>
    /// Runs the node's federation policy in the console (reports, blocks) as well as from the shell.
    /// Granted only by the shell (<c>grant-operator</c>), whoever runs the node being its operator.
    /// </summary>
    public bool IsOperator { get; set; }
    public List<Membership> Memberships { get; set; } = [];
}

/// <summary>What one account may do in one shop.</summary>
public sealed class Membership : IShopOwned
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public int ShopId { get; set; }
    public ShopRole Role { get; set; }
    public Catalog.Shop? Shop { get; set; }
}

/// <summary>A one-time link an owner sends to a new member of staff; only its hash is kept.</summary>
public sealed class Invitation : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public required string TokenHash { get; set; }
    public ShopRole Role { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
}

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>, IEntityTypeConfiguration<Membership>, IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Account> account)
    {
        account.HasIndex(a => a.Email).IsUnique();
        account.Property(a => a.Email).HasMaxLength(254);
        account.Property(a => a.DisplayName).HasMaxLength(80);
        account.Property(a => a.PasswordHash).HasMaxLength(200);
        account.Property(a => a.SecurityStamp).HasMaxLength(64);
        account.HasMany(a => a.Memberships).WithOne().HasForeignKey(m => m.AccountId);
    }

    public void Configure(EntityTypeBuilder<Membership> membership)
    {
        membership.HasIndex(m => new { m.AccountId, m.ShopId }).IsUnique();
        membership.HasOne(m => m.Shop).WithMany().HasForeignKey(m => m.ShopId);
    }

    public void Configure(EntityTypeBuilder<Invitation> invitation)
    {
        invitation.Property(i => i.TokenHash).HasMaxLength(64);
        invitation.HasIndex(i => i.TokenHash).IsUnique();
        invitation.HasOne<Catalog.Shop>().WithMany().HasForeignKey(i => i.ShopId);
    }
}
