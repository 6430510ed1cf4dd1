using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Plaza.Features.Moderation;

/// <summary>A domain the operator blocked: nothing from it is accepted or fetched.</summary>
public sealed class BlockedDomain
{
    public required string Domain { get; set; }
    public string? Reason { get; set; }
    public DateTime BlockedAt { get; set; }
}

internal sealed class BlockedDomainConfiguration : IEntityTypeConfiguration<BlockedDomain>
{
    public void Configure(EntityTypeBuilder<BlockedDomain> domain)
    {
        domain.HasKey(d => d.Domain);
        domain.Property(d => d.Domain).HasMaxLength(255);
        domain.Property(d => d.Reason).HasMaxLength(500);
    }
}
