using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Members;
using Plaza.Features.Ordering;

namespace Plaza.Features.Campaigns;

/// <summary>
/// Who bought (<see cref="Customer"/>): finds or makes the customer of a completed order (the member who placed it, else the
/// guest's phone), joins a guest to the member who later joins with their phone, and works each customer's roll-up out again
/// from their orders. Runs inside the transaction that completes or refunds the order, in the order's shop's scope.
/// </summary>
public static class CustomerBook
{
    /// <summary>An order that counts: completed, or refunded in part.</summary>
    public static IQueryable<Order> Counted(IQueryable<Order> orders) =>
        orders.Where(o => o.Status == OrderStatus.Completed || (o.Status == OrderStatus.Refunded && o.RefundedTotal < o.Total));

    /// <summary>Gives a completed or refunded order its customer (when it has none yet) and works that customer's roll-up out again.</summary>
    public static async Task CountAsync(PlazaDb db, Shop shop, Order order, CancellationToken ct)
    {
        var customerId = order.CustomerId ?? await ResolveAsync(db, shop, order, ct);
        if (customerId is not { } id)
        {
            return;
        }
        if (order.CustomerId is null)
        {
            await db.Orders.Where(o => o.Id == order.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.CustomerId, id), ct);
        }
        await RecountAsync(db, id, ct);
    }

    /// <summary>Sets a customer's roll-up to what their counted orders say.</summary>
    private static async Task RecountAsync(PlazaDb db, long customerId, CancellationToken ct)
    {
        var counted = Counted(db.Orders.Where(o => o.CustomerId == customerId));
        var sums = await counted.GroupBy(o => 1)
            .Select(g => new { Orders = g.Count(), Spend = g.Sum(o => o.Total - o.RefundedTotal), First = g.Min(o => o.PlacedAt), Last = g.Max(o => o.PlacedAt) })
            .FirstOrDefaultAsync(ct);
        var channel = await counted.OrderBy(o => o.PlacedAt).ThenBy(o => o.Id).Select(o => o.FirstChannelId).FirstOrDefaultAsync(ct);
        await db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Orders, sums == null ? 0 : sums.Orders)
            .SetProperty(c => c.Spend, sums == null ? 0 : sums.Spend)
            .SetProperty(c => c.FirstOrderAt, sums == null ? null : sums.First)
            .SetProperty(c => c.LastOrderAt, sums == null ? null : sums.Last)
            .SetProperty(c => c.FirstChannelId, channel), ct);
    }

    /// <summary>
    /// The customer an order belongs to: the member's, or the guest known by the phone on the order (the member's own phone
    /// when the member gave one). A member whose phone a guest customer already has takes that customer over, so what they
    /// bought as a guest counts with what they buy as a member. Null for a guest who gave no valid phone.
    /// </summary>
    private static async Task<long?> ResolveAsync(PlazaDb db, Shop shop, Order order, CancellationToken ct)
    {
        var memberPhone = order.MemberId is { } memberId
            ? await db.Members.Where(m => m.Id == memberId).Select(m => m.Phone).FirstOrDefaultAsync(ct)
            : null;
        var phone = memberPhone ?? MemberPhones.Normalise(order.CustomerPhone, MemberPhones.RegionOf(shop));
        if (order.MemberId is null && phone is null)
        {
            return null;
        }
        // Two orders of one new customer completing at once: one makes the row, the other finds it on its second look.
        for (var attempt = 0; ; attempt++)
        {
            if (await FindOrMakeAsync(db, shop.Id, order.MemberId, phone, ct) is { } id)
            {
                return id;
            }
            if (attempt > 0)
            {
                throw new InvalidOperationException($"No customer could be found or made for order {order.Id}.");
            }
        }
    }

    /// <summary>The customer of a member or phone, made when there is none; null when another made it at the same moment.</summary>
    private static async Task<long?> FindOrMakeAsync(PlazaDb db, int shopId, long? memberId, string? phone, CancellationToken ct)
    {
        var customers = db.Customers;
        var byMember = memberId is null ? null : await customers.FirstOrDefaultAsync(c => c.MemberId == memberId, ct);
        var byPhone = phone is null ? null : await customers.FirstOrDefaultAsync(c => c.Phone == phone, ct);
        if (byMember is not null)
        {
            if (byPhone is not null && byPhone.Id != byMember.Id && byPhone.MemberId is null)
            {
                await MergeAsync(db, byPhone.Id, byMember.Id, phone, ct);
            }
            else if (byMember.Phone is null && byPhone is null && phone is not null)
            {
                await customers.Where(c => c.Id == byMember.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Phone, phone), ct);
            }
            return byMember.Id;
        }
        if (byPhone is not null && (memberId is null || byPhone.MemberId is null))
        {
            if (memberId is not null)
            {
                await customers.Where(c => c.Id == byPhone.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.MemberId, memberId), ct);
            }
            return byPhone.Id;
        }
        // A member whose phone another member's customer holds is a customer of their own, known by membership alone.
        var made = new Customer { ShopId = shopId, MemberId = memberId, Phone = byPhone is null ? phone : null };
        return await db.AddEachUnlessTakenAsync([made], ct) == 1 ? made.Id : null;
    }

    /// <summary>Moves a guest customer's orders to the member's customer, gives it the phone and works its roll-up out again.</summary>
    private static async Task MergeAsync(PlazaDb db, long guestId, long memberCustomerId, string? phone, CancellationToken ct)
    {
        await db.Orders.Where(o => o.CustomerId == guestId).ExecuteUpdateAsync(s => s.SetProperty(o => o.CustomerId, memberCustomerId), ct);
        await db.Customers.Where(c => c.Id == guestId).ExecuteDeleteAsync(ct);
        await db.Customers.Where(c => c.Id == memberCustomerId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Phone, phone), ct);
        await RecountAsync(db, memberCustomerId, ct);
    }

    /// <summary>
    /// A member who has just joined with a phone takes over the guest customer with that phone in every shop of the
    /// programme: what they bought before they joined is theirs. (A member this new has no customer of their own to merge.)
    /// </summary>
    public static Task JoinedAsync(PlazaDb db, IEnumerable<int> shopIds, Member member, CancellationToken ct)
    {
        var ids = shopIds.ToList();
        return member.Phone is not { } phone ? Task.CompletedTask
            : db.Customers.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(c => ids.Contains(c.ShopId) && c.Phone == phone && c.MemberId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.MemberId, member.Id), ct);
    }

    /// <summary>A deleted member's customers stay for the shop's figures with nothing left that names the person.</summary>
    public static Task ForgetAsync(PlazaDb db, long memberId, CancellationToken ct) =>
        db.Customers.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(c => c.MemberId == memberId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.MemberId, (long?)null).SetProperty(c => c.Phone, (string?)null), ct);
}
