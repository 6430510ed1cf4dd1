using Microsoft.EntityFrameworkCore;
using Plaza.Features.Campaigns;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Campaigns;

/// <summary>
/// A node upgraded from before customers were counted: <c>count-customers</c> gives the old completed orders their
/// customers (a member's, a guest's by phone however typed) with roll-ups equal to the orders, leaves a guest without a
/// valid phone and uncounted orders alone, and changes nothing when run again.
/// </summary>
public sealed class CountCustomersTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Old_completed_orders_get_their_customers_once_with_roll_ups_equal_to_the_orders(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await TestShops.CreateAsync(app, s => s.TimeZone = "Asia/Shanghai");
        // Whole seconds: PostgreSQL keeps microseconds, so a tick-exact time would not come back equal.
        var start = DateTime.UnixEpoch.AddSeconds(DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeSeconds());
        var (member, flyer) = await app.WithDb(shop.Shop, async db =>
        {
            var m = new Plaza.Features.Members.Member { ShopId = shop.Shop.Id, Email = "lin@example.com", Language = "zh-CN", SecurityStamp = "s", JoinedAt = start };
            var channel = new Plaza.Features.Channels.Channel { ShopId = shop.Shop.Id, Kind = Plaza.Features.Channels.ChannelKind.Named, Code = "flyer", Name = "Flyer", CreatedAt = start };
            db.AddRange(m, channel);
            await db.SaveChangesAsync();
            // As v0.1.0 left them: completed orders with no customer.
            var orders = new (long? Member, string Phone, int Day, long Total, OrderStatus Status, int? Channel)[]
            {
                (m.Id, "", 1, 450, OrderStatus.Completed, channel.Id),
                (m.Id, "", 5, 300, OrderStatus.Completed, null),
                (null, "138 0013 8000", 2, 350, OrderStatus.Completed, null),
                (null, "＋８６ １３８００１３８０００", 9, 600, OrderStatus.Completed, null),
                (null, "+86 138-0013-8000", 10, 999, OrderStatus.Rejected, null),
                (null, "not a phone", 3, 200, OrderStatus.Completed, null),
            };
            foreach (var o in orders)
            {
                db.Orders.Add(new Order
                {
                    Id = Guid.NewGuid(),
                    ShopId = shop.Shop.Id,
                    Number = $"U-{Guid.NewGuid():N}"[..12],
                    Status = o.Status,
                    CustomerName = "Guest",
                    CustomerPhone = o.Phone,
                    Currency = "CNY",
                    ItemsTotal = o.Total,
                    Total = o.Total,
                    PlacedAt = start.AddDays(o.Day),
                    MemberId = o.Member,
                    FirstChannelId = o.Channel,
                });
            }
            await db.SaveChangesAsync();
            return (m.Id, channel.Id);
        });

        using var output = new StringWriter();
        Assert.Equal(0, await Plaza.Common.CommandLine.RunAsync(app.Services, [CountCustomersCommand.Name], output, output));
        Assert.Contains("4 orders given their customer in 1 shops; 1 belong to no one", output.ToString(), StringComparison.Ordinal);

        var customers = await app.WithDb(shop.Shop, db => db.Customers.AsNoTracking().OrderBy(c => c.Id).ToListAsync());
        var lin = Assert.Single(customers, c => c.MemberId == member);
        Assert.Equal((2, 750L, start.AddDays(1), start.AddDays(5), (int?)flyer), (lin.Orders, lin.Spend, lin.FirstOrderAt!.Value, lin.LastOrderAt!.Value, lin.FirstChannelId));
        var guest = Assert.Single(customers, c => c.Phone == "+8613800138000");
        Assert.Equal((2, 950L, start.AddDays(2), start.AddDays(9)), (guest.Orders, guest.Spend, guest.FirstOrderAt!.Value, guest.LastOrderAt!.Value));
        Assert.Equal(2, customers.Count);
        var rejected = await app.WithDb(shop.Shop, db => db.Orders.AsNoTracking().SingleAsync(o => o.Status == OrderStatus.Rejected));
        Assert.Null(rejected.CustomerId);

        // Run again: nothing more to give, nothing changes.
        using var again = new StringWriter();
        Assert.Equal(0, await Plaza.Common.CommandLine.RunAsync(app.Services, [CountCustomersCommand.Name], again, again));
        Assert.Contains("0 orders given their customer in 1 shops; 1 belong to no one", again.ToString(), StringComparison.Ordinal);
        var after = await app.WithDb(shop.Shop, db => db.Customers.AsNoTracking().OrderBy(c => c.Id).ToListAsync());
        Assert.Equal(customers.Select(c => (c.Id, c.Orders, c.Spend)), after.Select(c => (c.Id, c.Orders, c.Spend)));
    }
}
