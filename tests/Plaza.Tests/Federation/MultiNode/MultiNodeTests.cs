using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;
using Plaza.Features.Hubs;
using Plaza.Features.Moderation;
using Plaza.Features.Nearby;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Federation.MultiNode;

/// <summary>
/// Real nodes on loopback, each on its own address (127.0.0.1–4, so domain blocks, which go by host,
/// can tell them apart) and its own store; the hub's node runs on PostgreSQL when the suite has one.
/// They talk over real HTTP with real signatures. The fourth joins late, through a directory subscription.
/// </summary>
public sealed class MultiNodeTests
{
    private static readonly string[] Hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"];
    private const string Nearby = "/api/v1/nearby?lat=52.5010&lon=13.4190&radiusKm=3&openOnly=false";

    [Fact]
    public async Task Shops_on_four_nodes_follow_each_other_share_through_a_hub_lose_nothing_while_a_node_is_down_learn_through_a_directory_and_a_block_hides_them()
    {
        // The hub's node runs on PostgreSQL: without one, the test is skipped (visibly), not run on SQLite alone.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PlazaApp.PostgresVariable)))
        {
            Assert.Skip($"Set {PlazaApp.PostgresVariable} to a PostgreSQL connection string (./test.sh starts one): the hub's node runs on it.");
        }
        await using var storeA = new NodeStore(IPAddress.Parse(Hosts[0]), postgres: false);
        await using var storeB = new NodeStore(IPAddress.Parse(Hosts[1]), postgres: false);
        await using var storeC = new NodeStore(IPAddress.Parse(Hosts[2]), postgres: true);
        await using var a = await LoopbackNode.StartAsync(storeA, Hosts);
        var b = await LoopbackNode.StartAsync(storeB, Hosts);
        await using var c = await LoopbackNode.StartAsync(storeC, Hosts);
        try
        {
            // Node B hosts a noodle bar 650 m from node A's café.
            await b.WithDb(async db =>
            {
                var noodles = DemoShop.Build();
                (noodles.Slug, noodles.Name, noodles.Latitude, noodles.Longitude) = ("noodles", "Noodle bar", 52.5050, 13.4250);
                db.Shops.Add(noodles);
                return await db.SaveChangesAsync();
            });
            var cafe = a.Client(await a.OwnerTokenAsync("demo"));
            var noodleBar = b.Client(await b.OwnerTokenAsync("noodles"));
            var courtOwner = c.Client(await c.OwnerTokenAsync("demo"));
            var cafeActor = $"{a.Origin}/actors/demo";
            var noodlesActor = $"{b.Origin}/actors/noodles";

            // Node C runs the street's hub.
            using var created = await courtOwner.PostAsJsonAsync("/api/v1/shops/demo/hubs", new { name = "oranienstrasse", displayName = "Oranienstraße" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var hubActor = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("actor").GetString()!;
            Assert.Equal($"{c.Origin}/hubs/oranienstrasse", hubActor);

            // The café follows the noodle bar by its handle (WebFinger), the noodle bar follows back; both join the hub.
            await FollowAsync(cafe, "demo", $"noodles@{storeB.Host}:{storeB.Port}", noodlesActor);
            await FollowAsync(noodleBar, "noodles", cafeActor, cafeActor);
            await FollowAsync(cafe, "demo", hubActor, hubActor);
            await FollowAsync(noodleBar, "noodles", hubActor, hubActor);
            await WaitUntilAsync(() => c.WithDb(db => db.HubMembers.CountAsync(m => m.FollowBackAccepted)).ContinueWith(t => t.Result == 2),
                "the hub follows both members back and they accept");

            // Node A's directory lists the noodle bar by distance, linking to its storefront on node B.
            JsonElement listed = default;
            await WaitUntilAsync(async () =>
            {
                var shops = await a.Client().GetFromJsonAsync<JsonElement>(Nearby);
                listed = shops.EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == "Noodle bar");
                return listed.ValueKind == JsonValueKind.Object;
            }, "node A lists the noodle bar nearby");
            Assert.Equal($"{b.Origin}/s/noodles", listed.GetProperty("url").GetString());
            Assert.Equal(storeB.Host, listed.GetProperty("node").GetString());
            Assert.InRange(listed.GetProperty("distanceKm").GetDouble(), 0.6, 0.7);
            Assert.False(listed.GetProperty("local").GetBoolean());

            // The hub re-shares each member's post to the other, with itself as the audience.
            var noodlePost = await PostAsync(noodleBar, "noodles", "Dumplings half price until 3 pm");
            var cafePost = await PostAsync(cafe, "demo", "Cinnamon buns fresh from the oven");
            await WaitUntilAsync(() => HasAnnounceAsync(a, hubActor, noodlePost), "node A receives the hub's re-share of the noodle bar's post");
            await WaitUntilAsync(() => HasAnnounceAsync(b, hubActor, cafePost), "node B receives the hub's re-share of the café's post");
            var announce = await a.WithDb(db => db.InboxActivities.FirstAsync(x => x.Type == "Announce" && x.Payload.Contains(noodlePost)));
            var announceJson = JsonDocument.Parse(announce.Payload).RootElement;
            Assert.Equal(hubActor, announceJson.GetProperty("audience").GetString());
            Assert.Equal(noodlesActor, announceJson.GetProperty("object").GetProperty("actor").GetString());

            // The café boosts the noodle bar's post: the noodle bar's node hears of it once.
            using var boosted = await cafe.PostAsJsonAsync("/api/v1/shops/demo/boosts", new { @object = noodlePost });
            Assert.Equal(HttpStatusCode.Accepted, boosted.StatusCode);
            var boostId = (await boosted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("announce").GetString()!;
            await WaitUntilAsync(() => b.WithDb(db => db.InboxActivities.AnyAsync(x => x.ActivityId == boostId)), "node B receives the café's boost");

            // Node B goes down; the café posts; its node and the hub's keep retrying.
            await b.DisposeAsync();
            var whileDown = await PostAsync(cafe, "demo", "Open late tonight");
            await WaitUntilAsync(() => FailedAttemptsAsync(a, storeB.Host, 2), "node A has failed to reach node B twice", seconds: 20);
            await WaitUntilAsync(() => FailedAttemptsAsync(c, storeB.Host, 1), "the hub has failed to reach node B", seconds: 20);

            b = await LoopbackNode.StartAsync(storeB, Hosts);
            await WaitUntilAsync(async () => await AllDeliveredAsync(a, storeB.Host) && await AllDeliveredAsync(c, storeB.Host),
                "every delivery to node B succeeds once it is back", seconds: 30);

            // Nothing lost, nothing twice: B stored every activity sent to it exactly once.
            var sent = (await SentToAsync(a, storeB.Host)).Concat(await SentToAsync(c, storeB.Host)).ToList();
            Assert.Contains(sent, id => id == cafePost + "/activity");
            Assert.Contains(sent, id => id == boostId);
            Assert.Contains(sent, id => id == whileDown + "/activity");
            Assert.Contains(sent, id => id == c.Services.GetRequiredService<ActorUrls>().HubAnnounce("oranienstrasse", whileDown));
            Assert.Equal(sent.Count, sent.Distinct().Count()); // one delivery per activity to node B, its shared inbox
            var stored = await b.WithDb(db => db.InboxActivities.Where(x => sent.Contains(x.ActivityId)).GroupBy(x => x.ActivityId)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
            Assert.Equal(sent.Order(), stored.Select(s => s.Key).Order());
            Assert.All(stored, s => Assert.Equal(1, s.Count));

            // A fourth node, D, follows nothing, so its directory has only its own café; then its operator
            // subscribes to node A's directory: A's café, A's new corner bakery and the noodle bar A follows.
            await using var storeD = new NodeStore(IPAddress.Parse(Hosts[3]), postgres: false);
            await using var d = await LoopbackNode.StartAsync(storeD, Hosts);
            var bakeryActor = $"{a.Origin}/actors/bakery";
            await a.WithDb(async db =>
            {
                db.Shops.Add(new Shop { Slug = "bakery", Name = "Corner bakery", Currency = "EUR", TimeZone = "Europe/Berlin", Latitude = 52.5020, Longitude = 13.4200 });
                return await db.SaveChangesAsync();
            });
            Assert.Empty(await RemoteShopsAsync(d));
            var said = new StringWriter();
            Assert.Equal(0, await DirectoryCommands.RunAsync(d.Services, "subscribe-directory", [a.Origin], said, said));
            List<string> onD = [];
            try
            {
                // Learning three shops means fetching three actors from two nodes: slow on a busy machine.
                await WaitUntilAsync(async () => (onD = await RemoteShopsAsync(d)).Order().SequenceEqual([$"{a.Origin}/s/bakery", $"{a.Origin}/s/demo", $"{b.Origin}/s/noodles"]),
                    "node D lists the shops of node A's directory", seconds: 40);
            }
            catch (Xunit.Sdk.XunitException)
            {
                var pulls = await d.WithDb(db => db.DirectorySubscriptions.Select(s => $"{s.Url}: listed {s.Listed}, last pulled {s.LastPulledAt:O}, error {s.LastError}").ToListAsync());
                Assert.Fail($"Node D lists [{string.Join(", ", onD)}]; its subscriptions: {string.Join("; ", pulls)}");
            }

            // D's operator blocks the noodle bar: gone from D's directory at once, and not learnt again from A's listing.
            Assert.Equal(0, await ModerationCommands.RunAsync(d.Services, "block-actor", [noodlesActor], said, said));
            Assert.DoesNotContain($"{b.Origin}/s/noodles", await RemoteShopsAsync(d));

            // The bakery closes: node A stops listing it, and node D drops it at its next pull.
            await a.WithDb(db => db.Shops.Where(s => s.Slug == "bakery").ExecuteDeleteAsync());
            await WaitUntilAsync(async () => !(await RemoteShopsAsync(d)).Contains($"{a.Origin}/s/bakery"), "node D drops the bakery node A no longer lists");
            Assert.Equal([$"{a.Origin}/s/demo"], await RemoteShopsAsync(d));
            Assert.False(await d.WithDb(db => db.KnownShops.AnyAsync(k => k.ActorId == noodlesActor || k.ActorId == bakeryActor)));

            // Node A's operator blocks node B's domain: the noodle bar leaves A's directory.
            await a.WithDb(async db =>
            {
                db.BlockedDomains.Add(new BlockedDomain { Domain = storeB.Host, Reason = "test", BlockedAt = DateTime.UtcNow });
                return await db.SaveChangesAsync();
            });
            var after = await a.Client().GetFromJsonAsync<JsonElement>(Nearby);
            Assert.DoesNotContain(after.EnumerateArray(), s => s.GetProperty("name").GetString() == "Noodle bar");
            Assert.Contains(after.EnumerateArray(), s => s.GetProperty("name").GetString() == "Plaza Demo Café");
        }
        finally
        {
            await b.DisposeAsync();
        }
    }

    /// <summary>The storefronts of the shops on other nodes a node lists nearby.</summary>
    private static async Task<List<string>> RemoteShopsAsync(LoopbackNode node) =>
        [.. (await node.Client().GetFromJsonAsync<JsonElement>(Nearby)).EnumerateArray()
            .Where(s => !s.GetProperty("local").GetBoolean()).Select(s => s.GetProperty("url").GetString()!)];

    private static async Task FollowAsync(HttpClient staff, string slug, string account, string expectedActor)
    {
        using var response = await staff.PostAsJsonAsync($"/api/v1/shops/{slug}/following", new { account });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"follow {account}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await WaitUntilAsync(async () =>
        {
            var following = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{slug}/following");
            return following.EnumerateArray().Any(f => f.GetProperty("actor").GetString() == expectedActor && f.GetProperty("accepted").GetBoolean());
        }, $"{account} accepts the follow", seconds: 30);
    }

    /// <summary>Posts a promotion; returns its Note's id.</summary>
    private static async Task<string> PostAsync(HttpClient staff, string slug, string text)
    {
        using var response = await staff.PostAsJsonAsync($"/api/v1/shops/{slug}/promotions", new { text });
        var created = await Asserts.CreatedAsync(response);
        return created.GetProperty("url").GetString()!;
    }

    private static Task<bool> HasAnnounceAsync(LoopbackNode node, string hubActor, string noteId) =>
        node.WithDb(db => db.InboxActivities.AnyAsync(x => x.Type == "Announce" && x.ActorId == hubActor && x.Payload.Contains(noteId) && x.ProcessedAt != null));

    private static Task<bool> FailedAttemptsAsync(LoopbackNode node, string host, int attempts) =>
        node.WithDb(db => db.Deliveries.IgnoreQueryFilters().AnyAsync(d => d.Host == host && d.DeliveredAt == null && d.Attempts >= attempts));

    private static Task<bool> AllDeliveredAsync(LoopbackNode node, string host) =>
        node.WithDb(db => db.Deliveries.IgnoreQueryFilters().Where(d => d.Host == host).AllAsync(d => d.DeliveredAt != null));

    private static Task<List<string>> SentToAsync(LoopbackNode node, string host) =>
        node.WithDb(db => db.Deliveries.IgnoreQueryFilters().Where(d => d.Host == host).Select(d => d.ActivityId).ToListAsync());
}
