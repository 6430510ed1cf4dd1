using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Faults;

/// <summary>
/// The node as a separate process, killed with SIGKILL while clients place orders. What a customer
/// was told (201 and an order id) must hold afterwards, and retrying with the same Idempotency-Key
/// must never make a second order.
/// </summary>
/// <remarks>
/// This is a process crash, not a machine crash: the kernel keeps what was written to files and
/// sockets. So the throw-away PostgreSQL that ./test.sh starts with fsync=off is a fair store
/// here — a commit PostgreSQL acknowledged survives the death of the app either way — and SQLite's
/// synchronous=FULL is not what is under test; power loss is not simulated.
/// </remarks>
public sealed class CrashTests
{
    private const int Kills = 4;
    private const int Clients = 6;
    private const string OrdersPath = "/api/v1/shops/demo/orders";

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Orders_acknowledged_before_a_crash_exist_exactly_once_and_retries_never_duplicate(Store store)
    {
        await using var node = NodeProcess.Create(store);
        var attempts = new ConcurrentDictionary<string, Attempt>();
        var unexpected = new ConcurrentQueue<string>();
        string? items = null;

        for (var round = 0; round < Kills; round++)
        {
            await node.StartAsync();
            items ??= await ItemsAsync(node);
            using var client = Client(node);
            var acknowledgedBefore = attempts.Values.Count(a => a.AcknowledgedId is not null);
            var load = Enumerable.Range(0, Clients)
                .Select(_ => Task.Run(() => PlaceUntilTheNodeDiesAsync(client, items, attempts, unexpected)))
                .ToList();
            // Kill at a random moment once orders are flowing, so requests are in flight at every stage.
            var flowing = DateTime.UtcNow.AddSeconds(30);
            while (attempts.Values.Count(a => a.AcknowledgedId is not null) < acknowledgedBefore + 20 && DateTime.UtcNow < flowing)
            {
                await Task.Delay(20);
            }
            await Task.Delay(Random.Shared.Next(50, 600));
            await node.KillAsync();
            await Task.WhenAll(load);
            Assert.True(attempts.Values.Count(a => a.AcknowledgedId is not null) > acknowledgedBefore, $"Round {round} acknowledged no order:\n{node.Log}");
        }
        Assert.Empty(unexpected);

        await node.StartAsync();
        var menuItems = items ?? throw new InvalidOperationException("The node never served its menu.");
        var acknowledged = attempts.Values.Where(a => a.AcknowledgedId is not null).ToList();
        var unacknowledged = attempts.Values.Where(a => a.AcknowledgedId is null).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{store}: {Kills} kills, {acknowledged.Count} orders acknowledged, {unacknowledged.Count} in flight at a kill.");

        // What the store holds after the crashes, before anyone retries.
        var stored = await StoredOrdersAsync(node);
        foreach (var attempt in acknowledged)
        {
            Assert.True(stored.TryGetValue(attempt.Key, out var ids) && ids.Count == 1 && ids[0] == attempt.AcknowledgedId,
                $"Order {attempt.AcknowledgedId} (key {attempt.Key}) was acknowledged but the store holds [{string.Join(", ", stored.GetValueOrDefault(attempt.Key) ?? [])}].");
        }
        Assert.All(unacknowledged, a => Assert.True(stored.GetValueOrDefault(a.Key)?.Count is null or 1, $"Key {a.Key} has several orders."));
        Assert.Empty(stored.Keys.Except(attempts.Keys));
        await AssertWholeOrdersAsync(node);

        // Customers retry: every unacknowledged order, and acknowledged ones whose answer they may have missed.
        using var retryClient = Client(node);
        foreach (var attempt in unacknowledged.Concat(acknowledged.Take(100)))
        {
            using var response = await SendAsync(retryClient, attempt, menuItems);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"Retry of {attempt.Key}: {(int)response.StatusCode} {body}");
            var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
            if (stored.TryGetValue(attempt.Key, out var before))
            {
                Assert.Equal(before[0], id);
                Assert.True(response.Headers.Contains("Idempotent-Replayed"), $"Retry of {attempt.Key} was not answered as a replay.");
            }
        }

        var after = await StoredOrdersAsync(node);
        Assert.All(attempts.Keys.Where(k => stored.ContainsKey(k) || unacknowledged.Any(a => a.Key == k)),
            key => Assert.True(after.TryGetValue(key, out var ids) && ids.Count == 1, $"Key {key} has {after.GetValueOrDefault(key)?.Count ?? 0} orders after retrying."));
        Assert.Equal(after.Count, after.Values.Sum(ids => ids.Count));
        await AssertWholeOrdersAsync(node);
    }

    /// <summary>One order a client tried to place: its key (also written into the note, to find it in the store).</summary>
    private sealed class Attempt(string key)
    {
        public string Key { get; } = key;
        public Guid? AcknowledgedId { get; set; }
    }

    private static HttpClient Client(NodeProcess node) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task PlaceUntilTheNodeDiesAsync(HttpClient client, string items, ConcurrentDictionary<string, Attempt> attempts, ConcurrentQueue<string> unexpected)
    {
        while (true)
        {
            var attempt = new Attempt(Guid.NewGuid().ToString("N"));
            attempts[attempt.Key] = attempt;
            try
            {
                using var response = await SendAsync(client, attempt, items);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    attempt.AcknowledgedId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                }
                else
                {
                    unexpected.Enqueue($"{attempt.Key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // The node died under this request: its outcome is unknown to the customer.
                return;
            }
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Attempt attempt, string items)
    {
        var json = $$"""{"type":"pickup","items":{{items}},"customer":{"name":"Crash test","phone":"+49 30 1234567"},"note":"{{attempt.Key}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, OrdersPath) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", attempt.Key);
        return await client.SendAsync(request);
    }

    /// <summary>Two lines of the demo menu without options: two of one item, one of another.</summary>
    private static async Task<string> ItemsAsync(NodeProcess node)
    {
        using var client = Client(node);
        var menu = await client.GetFromJsonAsync<JsonElement>("/api/v1/shops/demo/menu");
        var plain = menu.GetProperty("categories").EnumerateArray()
            .SelectMany(c => c.GetProperty("items").EnumerateArray())
            .Where(i => i.GetProperty("optionGroups").GetArrayLength() == 0 && i.GetProperty("stock").ValueKind == JsonValueKind.Null)
            .Select(i => i.GetProperty("id").GetInt32())
            .Take(2)
            .ToList();
        return $$"""[{"itemId":{{plain[0]}},"quantity":2},{"itemId":{{plain[1]}},"quantity":1}]""";
    }

    /// <summary>Order ids by the key written in their note, straight from the store.</summary>
    private static async Task<Dictionary<string, List<Guid>>> StoredOrdersAsync(NodeProcess node)
    {
        await using var db = node.OpenStore();
        var rows = await db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).Select(o => new { o.Note, o.Id }).ToListAsync();
        return rows.GroupBy(r => r.Note ?? "").ToDictionary(g => g.Key, g => g.Select(r => r.Id).ToList());
    }

    /// <summary>No half-written order: each has both lines and its first transition, one key row, and a number unique for its day.</summary>
    private static async Task AssertWholeOrdersAsync(NodeProcess node)
    {
        await using var db = node.OpenStore();
        var orders = db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]);
        var orderCount = await orders.CountAsync();
        var lines = await db.OrderLines.IgnoreQueryFilters([PlazaDb.ShopFilter]).GroupBy(l => l.OrderId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(orderCount, lines.Count);
        Assert.All(lines, count => Assert.Equal(2, count));
        Assert.Equal(orderCount, await db.OrderTransitions.IgnoreQueryFilters([PlazaDb.ShopFilter]).Select(t => t.OrderId).Distinct().CountAsync());
        var keys = await db.IdempotencyKeys.IgnoreQueryFilters([PlazaDb.ShopFilter]).Select(k => k.OrderId).ToListAsync();
        Assert.Equal(orderCount, keys.Count);
        Assert.Equal(orderCount, await orders.CountAsync(o => keys.Contains(o.Id)));
        var duplicateNumbers = await orders.GroupBy(o => new { o.ShopId, o.BusinessDay, o.Number }).Where(g => g.Count() > 1).Select(g => g.Key.Number).ToListAsync();
        Assert.Empty(duplicateNumbers);
    }
}
