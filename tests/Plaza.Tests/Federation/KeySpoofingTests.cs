using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plaza.Tests.Federation.MultiNode;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Federation;

/// <summary>
/// A key id proves nothing by itself: a hostile server can publish an actor whose <c>publicKey.id</c> is
/// another server's key id. A real node, reached over real sockets by servers on their own loopback
/// addresses, must accept a key for an actor only when that actor's own document publishes it.
/// </summary>
public sealed class KeySpoofingTests
{
    private static readonly IPAddress NodeAddress = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress[] PeerAddresses = [IPAddress.Parse("127.0.0.5"), IPAddress.Parse("127.0.0.6"), IPAddress.Parse("127.0.0.7")];

    [Fact]
    public async Task Hostile_servers_that_claim_a_victims_key_id_cannot_act_in_the_victims_name_and_the_hub_shares_only_the_genuine_post()
    {
        await using var victim = await LoopbackPeer.StartAsync(PeerAddresses[0]);
        await using var evil = await LoopbackPeer.StartAsync(PeerAddresses[1]);
        await using var worse = await LoopbackPeer.StartAsync(PeerAddresses[2]);
        await using var store = new NodeStore(NodeAddress, postgres: false);
        await using var node = await LoopbackNode.StartAsync(store, PeerAddresses.Select(a => a.ToString()));
        var hub = await CreateHubAsync(node);

        // Bob, on the victim's server, is a member of the node's hub.
        var bob = victim.AddAccount("bob");
        await JoinHubAsync(node, hub, bob, victim);

        // Two hostile actors on two other origins publish bob's key id (with a fragment of their own) over their own keys.
        var forgers = new[]
        {
            (Server: evil, Account: evil.AddAccount("eve", a => new JsonObject { ["id"] = bob.Id + "#x", ["owner"] = a.Id, ["publicKeyPem"] = a.Keys.PublicKeyPem }), KeyId: bob.Id + "#x", Rfc9421: false),
            (Server: worse, Account: worse.AddAccount("mallory", a => new JsonObject { ["id"] = bob.Id + "#y", ["publicKeyPem"] = a.Keys.PublicKeyPem }), KeyId: bob.Id + "#y", Rfc9421: true),
        };
        var forgedIds = new List<string>();
        foreach (var (server, forger, spoofedKeyId, rfc9421) in forgers)
        {
            // Any signed POST from the forger makes the node fetch its actor document (and, before the fix, cache the lie).
            using var contact = await LoopbackPeer.SendAsync($"{node.Origin}/inbox", forger, forger.MainKeyId,
                LoopbackPeer.Activity(forger.Id, "Like", $"{node.Origin}/actors/demo"), rfc9421);
            await Asserts.ProblemAsync(contact, HttpStatusCode.Unauthorized, "signer-not-actor");
            Assert.Contains($"/users/{new Uri(forger.Id).Segments[^1]}", server.Fetches);

            // Then it signs in bob's name, under the key id its own document claimed.
            var forgedPost = LoopbackPeer.PublicPost(bob.Id, "Everything free, forged by " + forger.Id);
            var forgedDelete = LoopbackPeer.Activity(bob.Id, "Delete", bob.Id);
            var forgedUndo = LoopbackPeer.Activity(bob.Id, "Undo", LoopbackPeer.Activity(bob.Id, "Follow", hub));
            foreach (var forged in new[] { forgedPost, forgedDelete, forgedUndo })
            {
                forgedIds.Add(forged["id"]!.GetValue<string>());
                using var refused = await LoopbackPeer.SendAsync($"{node.Origin}/hubs/street/inbox", forger, spoofedKeyId, forged, rfc9421);
                await Asserts.ProblemAsync(refused, HttpStatusCode.Unauthorized, "signer-not-actor");
            }
        }

        // The genuine post still goes through and is re-shared; nothing forged was stored or re-shared, bob is still a member.
        var genuine = LoopbackPeer.PublicPost(bob.Id, "Dumplings half price");
        using (var accepted = await LoopbackPeer.SendAsync($"{node.Origin}/inbox", bob, bob.MainKeyId, genuine))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        // FEP-1b12: the hub announces the member's Create itself.
        var genuineId = genuine["id"]!.GetValue<string>();
        await WaitUntilAsync(async () => (await HubOutboxAsync(node)).Contains(genuineId), "the hub re-shares bob's genuine post");
        Assert.Equal([genuineId], await HubOutboxAsync(node));
        Assert.False(await node.WithDb(db => db.InboxActivities.AnyAsync(a => forgedIds.Contains(a.ActivityId))));
        Assert.Equal(1, await node.WithDb(db => db.HubMembers.CountAsync(m => m.ActorId == bob.Id && m.FollowBackAccepted)));
        Assert.False(await node.WithDb(db => db.RemoteActors.AnyAsync(a => a.KeyId.StartsWith(bob.Id) && a.ActorId != bob.Id)));
    }

    [Fact]
    public async Task A_peer_whose_key_lives_at_its_own_url_is_accepted_on_first_contact_and_after_its_cached_actor_goes_stale()
    {
        await using var peer = await LoopbackPeer.StartAsync(PeerAddresses[0]);
        await using var store = new NodeStore(NodeAddress, postgres: false);
        await using var node = await LoopbackNode.StartAsync(store, [PeerAddresses[0].ToString()]);
        var shop = $"{node.Origin}/actors/demo";

        // activitypub-bot's shape: the actor links its key by IRI; the key document names its owner as an object.
        var bot = peer.AddAccount("relaybot", a => JsonValue.Create(a.Id + "/publickey"));
        peer.Publish(bot.Id + "/publickey", new JsonObject
        {
            ["@context"] = "https://w3id.org/security/v1",
            ["id"] = bot.Id + "/publickey",
            ["type"] = "CryptographicKey",
            ["owner"] = new JsonObject { ["id"] = bot.Id, ["type"] = "Service" },
            ["publicKeyPem"] = bot.Keys.PublicKeyPem,
        });
        // GoToSocial's shape: the key is embedded, but its id is a URL of its own rather than actor#main-key.
        var gts = peer.AddAccount("gts", a => new JsonObject { ["id"] = a.Id + "/main-key", ["owner"] = a.Id, ["publicKeyPem"] = a.Keys.PublicKeyPem });

        foreach (var (account, keyId, rfc9421) in new[] { (bot, bot.Id + "/publickey", true), (gts, gts.Id + "/main-key", false) })
        {
            using var first = await LoopbackPeer.SendAsync($"{node.Origin}/actors/demo/inbox", account, keyId,
                LoopbackPeer.Activity(account.Id, "Follow", shop), rfc9421);
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            await WaitUntilAsync(() => peer.Received.Any(r => r.Path == new Uri(account.Inbox).AbsolutePath && r.Body["type"]!.GetValue<string>() == "Accept"),
                $"{account.Id} gets the shop's Accept");

            // A day later the cached actor is stale: the key is resolved again, through its owner.
            await node.WithDb(db => db.RemoteActors.Where(a => a.ActorId == account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.FetchedAt, DateTime.UtcNow.AddDays(-2))));
            var fetchesBefore = peer.Fetches.Count(f => f == new Uri(account.Id).AbsolutePath);
            using var later = await LoopbackPeer.SendAsync($"{node.Origin}/actors/demo/inbox", account, keyId,
                LoopbackPeer.Activity(account.Id, "Like", shop), rfc9421);
            Assert.Equal(HttpStatusCode.Accepted, later.StatusCode);
            Assert.Equal(fetchesBefore + 1, peer.Fetches.Count(f => f == new Uri(account.Id).AbsolutePath));
        }
    }

    private static async Task<string> CreateHubAsync(LoopbackNode node)
    {
        using var created = await node.Client(await node.OwnerTokenAsync("demo"))
            .PostAsJsonAsync("/api/v1/shops/demo/hubs", new { name = "street", displayName = "Our street" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("actor").GetString()!;
    }

    private static async Task JoinHubAsync(LoopbackNode node, string hub, LoopbackPeer.Account member, LoopbackPeer server)
    {
        using (var follow = await LoopbackPeer.SendAsync($"{node.Origin}/hubs/street/inbox", member, member.MainKeyId,
            LoopbackPeer.Activity(member.Id, "Follow", hub)))
        {
            Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
        }
        var inbox = new Uri(member.Inbox).AbsolutePath;
        await WaitUntilAsync(() => server.Received.Any(r => r.Path == inbox && r.Body["type"]!.GetValue<string>() == "Follow"), "the hub follows its member back");
        var followBack = server.Received.First(r => r.Path == inbox && r.Body["type"]!.GetValue<string>() == "Follow").Body;
        using (var accept = await LoopbackPeer.SendAsync($"{node.Origin}/inbox", member, member.MainKeyId,
            LoopbackPeer.Activity(member.Id, "Accept", JsonNode.Parse(followBack.ToJsonString())!)))
        {
            Assert.Equal(HttpStatusCode.Accepted, accept.StatusCode);
        }
        await WaitUntilAsync(() => node.WithDb(db => db.HubMembers.AnyAsync(m => m.ActorId == member.Id && m.FollowBackAccepted)), "the member accepts the follow back");
    }

    private static async Task<List<string>> HubOutboxAsync(LoopbackNode node)
    {
        var outbox = await FederationAsserts.GetActivityJsonAsync(node.Client(), "/hubs/street/outbox");
        return outbox.TryGetProperty("orderedItems", out var items)
            ? [.. items.EnumerateArray().Select(i => i.GetProperty("object").ValueKind == JsonValueKind.String
                ? i.GetProperty("object").GetString()! : i.GetProperty("object").GetProperty("id").GetString()!)]
            : [];
    }
}
