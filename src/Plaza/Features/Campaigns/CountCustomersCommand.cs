using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Campaigns;

/// <summary>
/// <c>count-customers</c>: gives every counted order that has no customer yet its customer and works the roll-ups out
/// again, for orders completed before the node counted customers (an upgrade from v0.1.0). Safe to run again and while
/// the node serves: an order that has a customer is left alone, and each order goes through what completing it does.
/// Guest orders without a valid phone number belong to no one and stay so.
/// </summary>
public static class CountCustomersCommand
{
    public const string Name = "count-customers";
    private const int Batch = 500;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length > 0)
        {
            await error.WriteLineAsync($"usage: {Name}");
            return 2;
        }
        List<int> shops;
        await using (var scope = services.CreateAsyncScope())
        {
            // Spans shops on purpose: the command is the node's; each shop's orders are then counted in its scope.
            shops = await CustomerBook.Counted(scope.ServiceProvider.GetRequiredService<PlazaDb>().Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]))
                .Where(o => o.CustomerId == null).Select(o => o.ShopId).Distinct().OrderBy(id => id).ToListAsync();
        }
        var (given, left) = (0, 0);
        foreach (var shopId in shops)
        {
            var after = DateTime.MinValue;
            var afterId = Guid.Empty;
            while (true)
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
                var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == shopId);
                scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
                // Oldest first, so a customer's first channel is their first order's; keyset paging skips orders that stay without one.
                var orders = await CustomerBook.Counted(db.Orders.AsNoTracking())
                    .Where(o => o.CustomerId == null && (o.PlacedAt > after || (o.PlacedAt == after && o.Id.CompareTo(afterId) > 0)))
                    .OrderBy(o => o.PlacedAt).ThenBy(o => o.Id).Take(Batch).ToListAsync();
                if (orders.Count == 0)
                {
                    break;
                }
                foreach (var order in orders)
                {
                    await using var tx = await db.Database.BeginTransactionAsync();
                    await CustomerBook.CountAsync(db, shop, order, CancellationToken.None);
                    await tx.CommitAsync();
                }
                var ids = orders.Select(o => o.Id).ToList();
                var counted = await db.Orders.CountAsync(o => ids.Contains(o.Id) && o.CustomerId != null);
                (given, left) = (given + counted, left + orders.Count - counted);
                (after, afterId) = (orders[^1].PlacedAt, orders[^1].Id);
            }
        }
        await output.WriteLineAsync($"{given} orders given their customer in {shops.Count} shops; {left} belong to no one (a guest without a valid phone number).");
        return 0;
    }
}
