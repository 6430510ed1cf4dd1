using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Plaza.Data;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>
/// Two app processes on one PostgreSQL, as behind a load balancer: each runs its own order writer, so their
/// transactions meet in the database and not in one process's queue. Decision 0002: when their locks cross,
/// PostgreSQL aborts one order as a deadlock, that order is answered 503 with Retry-After and nothing of it is
/// kept, and its client's retry with the same key succeeds.
/// </summary>
public sealed class CrossProcessRaceTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-30T10:00:00+01:00", CultureInfo.InvariantCulture);

    /// <summary>A phone's answer to its order: retried with the same key while the node says 503, as the Retry-After asks.</summary>
    private sealed record Outcome(HttpStatusCode Status, string Body, int Unavailable);

    private static async Task<Outcome> PlaceUntilAnsweredAsync(PlazaApp app, TestShop shop, object order, string key)
    {
        var unavailable = 0;
        for (var attempt = 1; ; attempt++)
        {
            using var response = await PlaceAsync(app.CreateClient(), shop, order, key);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                return new Outcome(response.StatusCode, body, unavailable);
            }
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains("unavailable", body, StringComparison.Ordinal);
            unavailable++;
            Assert.True(attempt < 20, $"Order {key} was still answered 503 after {attempt} tries.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Two_processes_sell_ten_in_stock_and_the_last_four_seats_of_a_slot_of_five_exactly_once()
    {
        var clock = new TestClock(Now);
        await using var first = await PlazaApp.StartAsync(Store.Postgres, clock);
        await using var second = await PlazaApp.StartAsync(Store.Postgres, clock, a => a.ShareDatabaseWith(first));
        // Stock: Bun 10 and Cake 100 (two rows each order locks); a slot of 5 in another shop.
        var stocked = await CreateAsync(first);
        var slotted = await CreateAsync(first, OpenEightToSix(slotCapacity: 5));
        await first.WithDb(null, db => db.Items.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(i => i.Id == stocked.Cake.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Stock, 100)));
        // The slot's first seat is taken before the race: its booking row then exists, as it does for a slot in demand,
        // and the two writers meet on that row rather than queueing on its first insert.
        var slotOrder = Order(slotted, pickupAt: "2026-11-30T12:00:00+01:00");
        await Asserts.CreatedAsync(await PlaceAsync(first.CreateClient(), slotted, slotOrder, "slot-first"));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var buyers = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var app = i % 2 == 0 ? first : second;
            return i < 30
                ? (Slot: false, await PlaceUntilAnsweredAsync(app, stocked, Order(stocked, items: i % 4 < 2
                    ? [Line(stocked.Cake.Id), Line(stocked.Bun.Id)] : [Line(stocked.Bun.Id), Line(stocked.Cake.Id)]), $"stock-{i}"))
                : (Slot: true, await PlaceUntilAnsweredAsync(app, slotted, slotOrder, $"slot-{i}"));
        })).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(buyers);

        var stock = outcomes.Where(o => !o.Slot).Select(o => o.Item2).ToList();
        var slot = outcomes.Where(o => o.Slot).Select(o => o.Item2).ToList();
        Assert.Equal(10, stock.Count(o => o.Status == HttpStatusCode.Created));
        Assert.All(stock.Where(o => o.Status != HttpStatusCode.Created), o => Assert.Contains("sold-out", o.Body, StringComparison.Ordinal));
        Assert.Equal(4, slot.Count(o => o.Status == HttpStatusCode.Created));
        Assert.All(slot.Where(o => o.Status != HttpStatusCode.Created), o => Assert.Contains("slot-unavailable", o.Body, StringComparison.Ordinal));

        await first.WithDb(null, async db =>
        {
            var items = db.Items.IgnoreQueryFilters([PlazaDb.ShopFilter]);
            Assert.Equal((int?)0, await items.Where(i => i.Id == stocked.Bun.Id).Select(i => i.Stock).SingleAsync());
            Assert.Equal((int?)90, await items.Where(i => i.Id == stocked.Cake.Id).Select(i => i.Stock).SingleAsync());
            var orders = db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]);
            var numbers = await orders.Where(o => o.ShopId == stocked.Shop.Id).Select(o => o.Number).ToListAsync();
            Assert.Equal(10, numbers.Distinct().Count());
            Assert.Equal(5, await orders.CountAsync(o => o.ShopId == slotted.Shop.Id));
            Assert.Equal([5], await db.SlotBookings.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(b => b.ShopId == slotted.Shop.Id).Select(b => b.Count).ToListAsync());
            // Keys are kept for stored orders only: a refusal or an aborted attempt keeps none.
            Assert.Equal(15, await db.IdempotencyKeys.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync(k => k.ShopId == stocked.Shop.Id || k.ShopId == slotted.Shop.Id));
            return 0;
        });
        TestContext.Current.TestOutputHelper?.WriteLine($"Answered 503 and retried: {outcomes.Sum(o => o.Item2.Unavailable)} times.");
    }

    [Fact]
    public async Task An_order_aborted_as_a_deadlock_is_answered_503_keeps_nothing_and_its_retry_succeeds()
    {
        await using var app = await PlazaApp.StartAsync(Store.Postgres);
        var shop = await CreateAsync(app);
        await app.WithDb(null, db => db.Items.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(i => i.Id == shop.Cake.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Stock, 50)));
        var (cake, bun) = (shop.Cake.Id, shop.Bun.Id);
        Assert.True(cake < bun, "The writer takes item locks in id order; the test crosses them from the other end.");

        // Another writer (this test's own connection, as a second process would): it holds the bun's row...
        await using var other = new NpgsqlConnection(app.ConnectionString);
        await other.OpenAsync();
        await using var tx = await other.BeginTransactionAsync();
        // ...and waits longer than the node's backend before it looks for a deadlock, so the node's order is the one aborted.
        await Execute(other, tx, "SET LOCAL deadlock_timeout = '20s'");
        await Execute(other, tx, $"UPDATE \"Items\" SET \"Stock\" = \"Stock\" WHERE \"Id\" = {bun}");

        // The order locks the cake's row, then waits for the bun's.
        var order = Order(shop, items: [Line(bun), Line(cake)]);
        var placing = PlaceAsync(app.CreateClient(), shop, order, "crossed");
        await WaitForLockWaitAsync(other);
        // Now the other writer reaches for the cake's row: each waits for the other.
        var crossing = Execute(other, tx, $"UPDATE \"Items\" SET \"Stock\" = \"Stock\" WHERE \"Id\" = {cake}");

        using var aborted = await placing;
        await Asserts.ProblemAsync(aborted, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), aborted.Headers.RetryAfter?.Delta);
        Assert.Contains("deadlock", string.Join('\n', app.Errors.Entries), StringComparison.OrdinalIgnoreCase);
        await crossing; // the other writer got the cake's row once the order's savepoint was rolled back
        await tx.RollbackAsync();

        // Nothing of the aborted order was kept: stock, order and key as before.
        Assert.Equal(10, await Asserts.StockAsync(app, bun));
        Assert.Equal(50, await Asserts.StockAsync(app, cake));
        Assert.Equal(0, await app.WithDb(null, db => db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync(o => o.ShopId == shop.Shop.Id)));

        // The phone retries with the same key, as Retry-After says: one order, stock taken once.
        using var retried = await PlaceAsync(app.CreateClient(), shop, order, "crossed");
        await Asserts.CreatedAsync(retried);
        Assert.Equal(9, await Asserts.StockAsync(app, bun));
        Assert.Equal(49, await Asserts.StockAsync(app, cake));
        Assert.Equal(1, await app.WithDb(null, db => db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync(o => o.ShopId == shop.Shop.Id)));
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Until another backend on this database waits for a row lock: the node's order, blocked on the held row.</summary>
    private static async Task WaitForLockWaitAsync(NpgsqlConnection other)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(other.ConnectionString) { Pooling = false }.ToString());
        await admin.OpenAsync();
        for (var deadline = DateTime.UtcNow.AddSeconds(20); ;)
        {
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> @me", admin);
            count.Parameters.AddWithValue("me", other.ProcessID);
            if ((long)(await count.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "The order never waited for the held row.");
            await Task.Delay(20);
        }
    }
}
