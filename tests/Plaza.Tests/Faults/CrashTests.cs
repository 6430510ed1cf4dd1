using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Faults;

/// <summary>
/// The node as a separate process, killed with SIGKILL while clients place orders. What a customer
/// was told (201 and an order id) must hold afterwards, and retrying with the same Idempotency-Key
/// must never make a second order.
/// </summary>
/// <remarks>
/// This is a process crash (SIGKILL of the app), not a machine crash: the kernel keeps whatever
/// the process had written to files. So the throw-away PostgreSQL that ./test.sh starts with
/// fsync=off is a fair store here — a commit PostgreSQL acknowledged survives the death of the app
/// either way — and SQLite's synchronous=FULL is not what is under test; power loss is not simulated.
/// </remarks>
[LongRunning]
public sealed class CrashTests
{
    private const int Kills = 3;
    private const int Clients = 6;

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Orders_acknowledged_before_a_crash_exist_exactly_once_and_retries_never_duplicate(Store store)
    {
        await using var node = NodeProcess.Create(store);
        var attempts = new ConcurrentDictionary<string, Attempt>();
        var unexpected = new ConcurrentQueue<string>();
        string? items = null;
        // The kill moments come from a logged seed, so a failing run can be replayed with PLAZA_CRASH_SEED.
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PLAZA_CRASH_SEED"), out var given) ? given : Random.Shared.Next();
        var random = new Random(seed);
        TestContext.Current.TestOutputHelper?.WriteLine($"{store}: kill timing seed {seed} (PLAZA_CRASH_SEED={seed} replays it).");

        for (var round = 0; round < Kills; round++)
        {
            await node.StartAsync();
            items ??= await NodeOrders.ItemsAsync(node);
            using var client = NodeOrders.Client(node);
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
            await Task.Delay(random.Next(50, 600));
            await node.KillAsync();
            await Task.WhenAll(load);
            Assert.True(attempts.Values.Count(a => a.AcknowledgedId is not null) > acknowledgedBefore, $"Round {round} (seed {seed}) acknowledged no order:\n{node.Log}");
        }
        Assert.Empty(unexpected);

        await node.StartAsync();
        var menuItems = items ?? throw new InvalidOperationException("The node never served its menu.");
        var acknowledged = attempts.Values.Where(a => a.AcknowledgedId is not null).ToList();
        var unacknowledged = attempts.Values.Where(a => a.AcknowledgedId is null).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{store}: {Kills} kills, {acknowledged.Count} orders acknowledged, {unacknowledged.Count} in flight at a kill.");

        // What the store holds after the crashes, before anyone retries.
        var stored = await NodeOrders.StoredAsync(node);
        foreach (var attempt in acknowledged)
        {
            Assert.True(stored.TryGetValue(attempt.Key, out var ids) && ids.Count == 1 && ids[0] == attempt.AcknowledgedId,
                $"Order {attempt.AcknowledgedId} (key {attempt.Key}) was acknowledged but the store holds [{string.Join(", ", stored.GetValueOrDefault(attempt.Key) ?? [])}].");
        }
        Assert.All(unacknowledged, a => Assert.True(stored.GetValueOrDefault(a.Key)?.Count is null or 1, $"Key {a.Key} has several orders."));
        Assert.Empty(stored.Keys.Except(attempts.Keys));
        await NodeOrders.AssertWholeAsync(node);

        // Customers retry: every unacknowledged order, and acknowledged ones whose answer they may have missed.
        using var retryClient = NodeOrders.Client(node);
        foreach (var attempt in unacknowledged.Concat(acknowledged.Take(100)))
        {
            using var response = await NodeOrders.PlaceAsync(retryClient, attempt.Key, menuItems);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"Retry of {attempt.Key}: {(int)response.StatusCode} {body}");
            var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
            if (stored.TryGetValue(attempt.Key, out var before))
            {
                Assert.Equal(before[0], id);
                Assert.True(response.Headers.Contains("Idempotent-Replayed"), $"Retry of {attempt.Key} was not answered as a replay.");
            }
        }

        var after = await NodeOrders.StoredAsync(node);
        Assert.All(attempts.Keys.Where(k => stored.ContainsKey(k) || unacknowledged.Any(a => a.Key == k)),
            key => Assert.True(after.TryGetValue(key, out var ids) && ids.Count == 1, $"Key {key} has {after.GetValueOrDefault(key)?.Count ?? 0} orders after retrying."));
        Assert.Equal(after.Count, after.Values.Sum(ids => ids.Count));
        await NodeOrders.AssertWholeAsync(node);
    }

    private static async Task PlaceUntilTheNodeDiesAsync(HttpClient client, string items, ConcurrentDictionary<string, Attempt> attempts, ConcurrentQueue<string> unexpected)
    {
        while (true)
        {
            var attempt = new Attempt(Guid.NewGuid().ToString("N"));
            attempts[attempt.Key] = attempt;
            try
            {
                using var response = await NodeOrders.PlaceAsync(client, attempt.Key, items);
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

    /// <summary>One order a client tried to place: its key (also written into the note, to find it in the store).</summary>
    private sealed class Attempt(string key)
    {
        public string Key { get; } = key;
        public Guid? AcknowledgedId { get; set; }
    }
}
