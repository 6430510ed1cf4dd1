using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Campaigns;

/// <summary>
/// One person who bought from a shop, and what they bought, rolled up: a member, or a guest recognised by their phone
/// number (E.164) within the shop. A guest who later joins with the same phone becomes the same customer. The roll-up
/// counts completed orders net of refunds (an order refunded in full does not count) and is worked out again from the
/// customer's orders whenever one completes or is refunded (<see cref="CustomerBook"/>), so it always equals them.
/// </summary>
public sealed class Customer : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    /// <summary>The member, once there is one (unique per shop).</summary>
    public long? MemberId { get; set; }
    /// <summary>E.164 (<see cref="Members.MemberPhones"/>); unique per shop.</summary>
    public string? Phone { get; set; }
    public DateTime? FirstOrderAt { get; set; }
    public DateTime? LastOrderAt { get; set; }
    /// <summary>Completed orders, less those refunded in full.</summary>
    public int Orders { get; set; }
    /// <summary>What those orders came to, less what was refunded, in the shop's minor units.</summary>
    public long Spend { get; set; }
    /// <summary>The channel that brought the customer's first counted order (<see cref="Channels.Channel"/>).</summary>
    public int? FirstChannelId { get; set; }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.HasIndex(c => new { c.ShopId, c.MemberId }).IsUnique().HasFilter("\"MemberId\" IS NOT NULL");
        customer.HasIndex(c => new { c.ShopId, c.Phone }).IsUnique().HasFilter("\"Phone\" IS NOT NULL");
        customer.HasIndex(c => new { c.ShopId, c.LastOrderAt });
        customer.Property(c => c.Phone).HasMaxLength(16);
        customer.HasOne<Catalog.Shop>().WithMany().HasForeignKey(c => c.ShopId).OnDelete(DeleteBehavior.Cascade);
    }
}
