using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Federation;

/// <summary>A shop's RSA key pair, made on first need; the public half is published in its actor.</summary>
public sealed class ShopKey : IShopOwned
{
    public int ShopId { get; set; }
    public required string PublicKeyPem { get; set; }
    public required string PrivateKeyPem { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A key that belongs to the node rather than a shop (the instance actor's, for signed GETs).</summary>
public sealed class NodeKey
{
    public required string Name { get; set; }
    public required string PublicKeyPem { get; set; }
    public required string PrivateKeyPem { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<ShopKey>, IEntityTypeConfiguration<NodeKey>
{
    public void Configure(EntityTypeBuilder<ShopKey> key)
    {
        key.HasKey(k => k.ShopId);
        key.HasOne<Shop>().WithOne().HasForeignKey<ShopKey>(k => k.ShopId);
    }

    public void Configure(EntityTypeBuilder<NodeKey> key)
    {
        key.HasKey(k => k.Name);
        key.Property(k => k.Name).HasMaxLength(64);
    }
}
