using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>
/// The tests share a node per store (<see cref="SharedNodes"/>), each on a shop of its own; order counts
/// are the node's (every shop) less its count when the test took it, so an order made in any shop still
/// counts. The slot test keeps a node of its own (its own clock).
/// </summary>
public sealed class ConcurrencyTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    /// <summary>Orders on the node (in every shop) when the test took it.</summary>
    private int ordersBefore;

    private async Task<PlazaApp> NodeAsync(Store store)
    {
        var app = await nodes.GetAsync(store);
        ordersBefore = await Asserts.OrderCountAsync(app);
        return app;
    }

    /// <summary>Orders made on the node, in any shop, since the test took it.</summary>
    private async Task<int> NewOrdersAsync(PlazaApp app) => await Asserts.OrderCountAsync(app) - ordersBefore;

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Twenty_concurrent_retries_with_one_idempotency_key_create_one_order(Store store)
    {
        var app = await NodeAsync(store);
        var shop = await CreateAsync(app);
        var order = Order(shop, items: [Line(shop.Bun.Id, 2)]);
        var key = Guid.NewGuid().ToString();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await PlaceAsync(app.CreateClient(), shop, order, key);
        })).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(attempts);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await NewOrdersAsync(app));
        Assert.Equal(8, await Asserts.StockAsync(app, shop.Bun.Id));
        Assert.Equal(19, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
    }

    /// <summary>
    /// Cake has no stock count, so these orders claim only a number and go to the store together (one counter update and
    /// one save per batch); the duplicate keys make that save fail, and the batch is written again order by order.
    /// </summary>
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Twenty_concurrent_retries_of_an_order_claiming_only_a_number_create_one_order(Store store)
    {
        var app = await NodeAsync(store);
        var shop = await CreateAsync(app);
        var key = Guid.NewGuid().ToString();
        var responses = await TogetherAsync(20, _ => PlaceAsync(app.CreateClient(), shop, Order(shop), key));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await NewOrdersAsync(app));
        Assert.Equal(19, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Thirty_concurrent_orders_get_the_numbers_one_to_thirty_once_each(Store store)
    {
        var app = await NodeAsync(store);
        var shop = await CreateAsync(app);
        var responses = await TogetherAsync(30, i => PlaceAsync(app.CreateClient(), shop, Order(shop), i % 2 == 0 ? Guid.NewGuid().ToString() : null));

        var numbers = await Task.WhenAll(responses.Select(async r => (await Asserts.CreatedAsync(r)).GetProperty("number").GetString()));
        Assert.Equal(Enumerable.Range(1, 30).Select(n => $"A-{n:000}"), numbers.Order(StringComparer.Ordinal));
        Assert.Equal(30, await NewOrdersAsync(app));
    }

    /// <summary>Starts <paramref name="count"/> requests at once, so the node's writer gets them in as few batches as it can.</summary>
    private static async Task<HttpResponseMessage[]> TogetherAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await send(i);
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(attempts);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_retry_after_success_returns_the_first_order(Store store)
    {
        var app = await NodeAsync(store);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();
        var order = Order(shop, items: [Line(shop.Bun.Id)]);

        var first = await Asserts.CreatedAsync(await PlaceAsync(client, shop, order, "key-1"));
        var again = await Asserts.CreatedAsync(await PlaceAsync(client, shop, order, "key-1"));
        var other = await Asserts.CreatedAsync(await PlaceAsync(client, shop, order, "key-2"));

        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("number").GetString(), again.GetProperty("number").GetString());
        Assert.NotEqual(first.GetProperty("id").GetGuid(), other.GetProperty("id").GetGuid());
        Assert.Equal(2, await NewOrdersAsync(app));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_key_reused_for_a_different_order_is_refused(Store store)
    {
        var app = await NodeAsync(store);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();

        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Bun.Id)]), "key-1"));
        var reused = await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Cake.Id)]), "key-1");

        await Asserts.ProblemAsync(reused, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(1, await NewOrdersAsync(app));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_same_key_in_two_shops_makes_two_orders(Store store)
    {
        var app = await NodeAsync(store);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);
        var client = app.CreateClient();

        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop), "shared-key"));
        await Asserts.CreatedAsync(await PlaceAsync(client, other, Order(other), "shared-key"));

        Assert.Equal(2, await NewOrdersAsync(app));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Fifty_concurrent_orders_for_ten_in_stock_sell_exactly_ten(Store store)
    {
        var app = await NodeAsync(store);
        var shop = await CreateAsync(app);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await PlaceAsync(app.CreateClient(), shop, Order(shop, items: [Line(shop.Bun.Id)]), $"buyer-{i}");
        })).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await Asserts.ProblemAsync(refused, HttpStatusCode.Conflict, "sold-out");
        }
        Assert.Equal(0, await Asserts.StockAsync(app, shop.Bun.Id));
        Assert.Equal(10, await NewOrdersAsync(app));
        var numbers = await app.WithDb(null, db => db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(o => o.ShopId == shop.Shop.Id).Select(o => o.Number).ToListAsync());
        Assert.Equal(10, numbers.Distinct().Count());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Forty_concurrent_orders_for_a_slot_of_five_book_exactly_five(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(DateTimeOffset.Parse("2026-11-30T10:00:00+01:00", CultureInfo.InvariantCulture)));
        var shop = await CreateAsync(app, OpenEightToSix(slotCapacity: 5));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await PlaceAsync(app.CreateClient(), shop, Order(shop, pickupAt: "2026-11-30T12:00:00+01:00"), $"buyer-{i}");
        })).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Asserts.HasFieldError(await Asserts.ProblemAsync(refused, HttpStatusCode.Conflict, "slot-unavailable"), "pickupAt");
        }
        Assert.Equal(5, await Asserts.OrderCountAsync(app));
        var booked = await app.WithDb(null, db => db.SlotBookings.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(b => b.ShopId == shop.Shop.Id).Select(b => b.Count).ToListAsync());
        Assert.Equal([5], booked);
    }
}
