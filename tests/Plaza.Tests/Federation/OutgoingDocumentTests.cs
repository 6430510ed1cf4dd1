using System.Globalization;
using System.Net.Http.Json;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Features.Federation;
using Plaza.Features.Follows;
using Plaza.Features.Hubs;
using Plaza.Features.Moderation;
using Plaza.Features.Nearby;
using Plaza.Features.Ordering;
using Plaza.Federation.ActivityStreams;
using Plaza.Federation.Signatures;
using Plaza.Tests.Infrastructure;
using SkiaSharp;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Federation;

/// <summary>
/// Every kind of document the node sends to peers or serves them — actors (shop, instance, hub Group), Note,
/// Create, Update, Delete, Follow, Accept, Reject, Undo, Announce, Flag, collections, the directory, NodeInfo,
/// WebFinger — against the expected JSON committed under <c>Snapshots/</c> (see <see cref="JsonSnapshots"/>).
/// The node is driven the way owners and peers drive it; what goes out is taken as the peer received it.
/// The fixture is fixed so the documents are: shop <c>bakery</c> with a fixed profile and hours, one fixed key
/// pair for the shop, the instance actor and the hub, a clock that only moves when told, fixed ids on
/// everything peers send. Ids the node mints from a fresh GUID are the only thing normalised.
/// </summary>
public sealed class OutgoingDocumentTests
{
    private const string Slug = "bakery";
    private const string ShopActor = "http://localhost/actors/bakery";
    private const string HubActor = "http://localhost/hubs/street";
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 26, 53, TimeSpan.Zero);

    // A throw-away test key, fixed so the actors' publicKeyPem can be compared too.
    private const string PrivateKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDR32UK8LL32r3B
        UrNhlQOvlrl8LdvDxd2tjRGegXuxrkvca6bJqwJNMyLEmOzuSLYUHU9JZVPe4RJ0
        251jf8fupkfLoLvwgt6oMrLioQXmCxr3DSSuOGjqC/W3oCwkZNunkIIDcB2CZanZ
        cG+DR1r1u04Z8RrPNPPm5s8CZliAIgrWHgQbE/PDb7LxrBHyu7+bDNWq0i78paUK
        ++ICAmIdp4d2CwG3jKmuBBXn3nuLFnw3M4kl781jhBUaDH/JWgv46+RdV5Bdtza4
        UGDh37ge/j9ad0GXAalQRfupl9NpII+WAwpjaFAUs5TVZhpzGTBPHqM58ltTKkoB
        Vs9p8TtjAgMBAAECggEAA69Rwti/C62s2ebDJ4TKRRxMXWsgtKtAsnoLmSYvhHXJ
        odvHWJBxazw+nAe4q+ZdlrTSXjjdOXM83mMMvGEootQLO/6yeLfo2OMq/jeoNtsd
        uhYM/XzCus6YSIUTbAApVc5/ueJkt5QOtgv3U+1ozMULy1YkYQb4+/uJdEKqbcrN
        uy38uUWUvkTbODDLtAWNJZs5D8I/24RmaSLUuAvuKHqSeL92a2NrG9fX8GugNeUh
        labSGLXubVUHmWFFTsI3YAZhIyWeyLQ2ON7UVssTgnMG11W3sWOYyhuP3zg4r2XV
        +gREZSEVacKEx4p5gIJKSWA7v9BpWr5Q2q+btFZdwQKBgQD3QSqQg1t/8MFeeFH7
        7jusemjhT4KfmglWuzikKuRnmyzh1BIEQBNAmN5QpnaUkhVNH3X6+v+7vf2L/kkm
        MONVjZIVVjQarzzMFJtrj3YQR46t9blb7H/HubcZ/66jmqtM1u/0jxVvmhaxn11P
        tnCYnfyRWdomuXnhVnqFHU4UuQKBgQDZS75f4fYAdqnYitmqJ9FkADl16wmjddW4
        wpUleAxIb1TpHwVWauc0ce6k3PEbI7gHnSNb199aMMU3SwgqbF7NpuG1LWKCz1T7
        dJqVvVVEuJ1CjiWkAsRv5H8EDF/dIPTOfxgvU4y/zyuZe50tJprrHzgRRYJwabTy
        rblZJLk6+wKBgCBew7fPurbxSh+YGQOmmOFn1TtKMYu7muVj9XJouyZlRmb6YLF1
        wg9+8/wTDws8ZNWH/OYy3jAyG3Osgt8hH2If+rQYaRHlR0xglkhqq8ZN1/wmY3IJ
        cGExiys4MiDxKuQQb7HQ2bmWrsnqV0kMVYllhZ9x6AGR3scFj1zGDWbhAoGAQHZZ
        6bPs+MI7LMQ0QmhBk/sFENhDKbzhREhlWpI8gpiUhfvv520bXdGWzE3HMRftlkSl
        oq9t0SG6v+aAa6Vukm+5cbgfC1NakKZM3bMnQpXKAV6OCBPSFqegjqDlJ4KJXWES
        2addj+Fzu7qSLDzRpILEbUtDoPma9otW+v0L/lUCgYAPkif9/p6FU2c2+Upss4Mj
        V4gkD/rvyWYFBYyuxn0FWpBquNfIlTlIIg9cOW/Ywc2YXn4kbgvKVmS5G9ZVv/tb
        fKSYexQPNpA4aMmlRXDm2SRQQ/2b/D62WTP7O++NcdxKsivLChKK6996JqNLCbAj
        k+OXgo8WAJeCwtagyCmU6A==
        -----END PRIVATE KEY-----
        """;

    private sealed record Node(PlazaApp App, FakePeer Peer, TestClock Clock, TestShop Shop, HttpClient Owner, RsaKeyPair Keys) : IAsyncDisposable
    {
        public async Task<string> GetAsync(string path, bool activityStreams = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (activityStreams)
            {
                request.Headers.Accept.ParseAdd("application/activity+json");
            }
            using var client = App.CreateClient();
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
            return body;
        }

        /// <summary>A peer's activity, signed by it and posted to the node's inbox at <paramref name="path"/>.</summary>
        public async Task PostAsync(string path, PeerActor signer, JsonObject activity)
        {
            using var client = App.CreateClient();
            using var response = await PostSignedAsync(client, path, signer, activity, clock: Clock);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        /// <summary>The body of the first <paramref name="type"/> the node delivered to <paramref name="inbox"/>, as the peer received it.</summary>
        public async Task<string> DeliveredAsync(string inbox, string type, Func<JsonObject, bool>? which = null)
        {
            ReceivedRequest? found = null;
            await WaitUntilAsync(
                () => (found = Peer.PostsTo(inbox).FirstOrDefault(r => r.Json["type"]?.GetValue<string>() == type && (which?.Invoke(r.Json) ?? true))) is not null,
                $"{inbox} receives a {type}");
            return Encoding.UTF8.GetString(found!.Body);
        }

        public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work, bool inShop = true)
        {
            var (scope, _) = App.Db(inShop ? Shop.Shop : null);
            using (scope)
            {
                return await work(scope.ServiceProvider);
            }
        }

        public ValueTask DisposeAsync()
        {
            Owner.Dispose();
            return App.DisposeAsync();
        }
    }

    private static async Task<Node> StartAsync()
    {
        var clock = new TestClock(Start);
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(Store.Sqlite, clock, a =>
        {
            peer = For(a);
            a.Settings[DemoShop.Setting] = "false"; // the directory and NodeInfo list this test's shop alone
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
        });
        var shop = await TestShops.CreateAsync(app, s =>
        {
            s.Slug = Slug;
            s.Name = "Corner Bakery";
            s.Description = "Sourdough & rye, baked <daily>.\nOrder ahead.\n\nCakes at the weekend.";
            s.TimeZone = "Europe/Amsterdam";
            s.Address = "Marktstraat 4, 1012 AB Amsterdam";
            s.Latitude = 52.3731;
            s.Longitude = 4.8922;
            s.OpeningHours =
            [
                new() { Day = DayOfWeek.Saturday, Opens = 13 * 60, Closes = 17 * 60 },
                new() { Day = DayOfWeek.Tuesday, Opens = 7 * 60, Closes = 15 * 60 },
                new() { Day = DayOfWeek.Saturday, Opens = 8 * 60, Closes = 12 * 60 + 30 },
                new() { Day = DayOfWeek.Sunday, Opens = 9 * 60, Closes = 24 * 60 },
            ];
        });
        using var rsa = RSA.Create();
        rsa.ImportFromPem(PrivateKeyPem);
        var keys = new RsaKeyPair(rsa.ExportSubjectPublicKeyInfoPem(), PrivateKeyPem);
        await app.WithDb(null, db =>
        {
            db.ShopKeys.Add(new ShopKey { ShopId = shop.Shop.Id, PublicKeyPem = keys.PublicKeyPem, PrivateKeyPem = keys.PrivateKeyPem, CreatedAt = Start.UtcDateTime });
            db.NodeKeys.Add(new NodeKey { Name = FederationKeys.InstanceKeyName, PublicKeyPem = keys.PublicKeyPem, PrivateKeyPem = keys.PrivateKeyPem, CreatedAt = Start.UtcDateTime });
            return db.SaveChangesAsync();
        });
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));
        return new Node(app, peer!, clock, shop, owner, keys);
    }

    private static Task<int> FollowedByAsync(Node node, PeerActor follower) => node.App.WithDb(null, db =>
    {
        db.Followers.Add(new Follower
        {
            ShopId = node.Shop.Shop.Id,
            ActorId = follower.Id,
            Inbox = follower.Inbox,
            SharedInbox = follower.SharedInbox,
            FollowActivityId = follower.Id + "/follows/0",
            FollowedAt = Start.UtcDateTime,
        });
        return db.SaveChangesAsync();
    });

    private static Task<int> KnowShopAsync(Node node, PeerActor actor) => node.App.WithDb(null, db =>
    {
        var host = new Uri(actor.Id).Host;
        db.KnownShops.Add(new KnownShop
        {
            ActorId = actor.Id,
            Domain = host,
            Name = "Noord Market Stall",
            Summary = "Cheese and bread",
            StorefrontUrl = $"https://{host}/s/market",
            Latitude = 52.3906,
            Longitude = 4.9167,
            Source = KnownShopSource.Followed,
            LastSeenAt = Start.UtcDateTime,
        });
        return db.SaveChangesAsync();
    });

    private static JsonObject Follow(PeerActor actor, string id, string target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = id,
        ["type"] = "Follow",
        ["actor"] = actor.Id,
        ["object"] = target,
    };

    private static JsonObject Accept(PeerActor actor, string id, string follow) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = id,
        ["type"] = "Accept",
        ["actor"] = actor.Id,
        ["object"] = JsonNode.Parse(follow),
    };

    /// <summary>A photo stored for the shop under a fixed name (an upload is named by the hash of its encoding).</summary>
    private static string StorePhoto(Node node)
    {
        var shopId = node.Shop.Shop.Id.ToString(CultureInfo.InvariantCulture);
        var folder = Path.Combine(node.App.Services.GetRequiredService<ItemImages>().Root, shopId);
        Directory.CreateDirectory(folder);
        using (var bitmap = new SKBitmap(1200, 900))
        {
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(new SKColor(180, 110, 60));
            }
            using var image = SKImage.FromBitmap(bitmap);
            using var webp = image.Encode(SKEncodedImageFormat.Webp, 80);
            File.WriteAllBytes(Path.Combine(folder, "cafe0000000000000001.webp"), webp.ToArray());
        }
        return $"/media/{shopId}/cafe0000000000000001.webp";
    }

    /// <summary>
    /// NodeInfo with the build's version, which it must name, replaced by <c>{version}</c>: a version bump
    /// changes no snapshot, a document without the build's version still fails.
    /// </summary>
    private static string WithoutBuildVersion(string nodeInfo)
    {
        var document = JsonNode.Parse(nodeInfo)!;
        var build = typeof(FederationApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        Assert.False(string.IsNullOrWhiteSpace(build), "The node's assembly carries no informational version.");
        Assert.Equal(build, document["software"]?["version"]?.GetValue<string>());
        document["software"]!["version"] = "{version}";
        return document.ToJsonString();
    }

    private static async Task SucceedsAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Actors_discovery_NodeInfo_and_the_directory_match_their_snapshots()
    {
        await using var node = await StartAsync();
        await KnowShopAsync(node, node.Peer.AddActor("market", host: "other.example"));
        var snapshots = JsonSnapshots.Here();

        snapshots.Match("shop-actor", await node.GetAsync("/actors/bakery"));
        snapshots.Match("instance-actor", await node.GetAsync("/actor"));
        snapshots.Match("instance-outbox", await node.GetAsync("/actor/outbox"));
        snapshots.Match("webfinger", await node.GetAsync("/.well-known/webfinger?resource=acct:bakery@localhost", activityStreams: false));
        snapshots.Match("nodeinfo-links", await node.GetAsync("/.well-known/nodeinfo", activityStreams: false));
        snapshots.Match("nodeinfo", WithoutBuildVersion(await node.GetAsync("/nodeinfo/2.1", activityStreams: false)));
        snapshots.Match("directory", await node.GetAsync("/directory"));
        snapshots.Match("directory-page-1", await node.GetAsync("/directory?page=1"));
        snapshots.Verify();
    }

    [Fact]
    public async Task Promotion_documents_match_their_snapshots()
    {
        await using var node = await StartAsync();
        var carol = node.Peer.AddActor("carol", host: "small.example", sharedInbox: false);
        await FollowedByAsync(node, carol);
        var snapshots = JsonSnapshots.Here();

        // A post with a photo and an item link: Create(Note) with an Image attachment.
        var photo = StorePhoto(node);
        using var posted = await node.Owner.PostAsJsonAsync("/api/v1/shops/bakery/promotions", new
        {
            text = "Rye is back on Saturday & Sunday.\nFirst loaf <free>.\n\nCome early.",
            itemId = node.Shop.Cake.Id,
            image = new { url = photo, alt = "Two loaves of rye on a \"board\"" },
        });
        var id = (await Asserts.CreatedAsync(posted)).GetProperty("id").GetInt64();
        snapshots.Match("create-note", await node.DeliveredAsync(carol.Inbox, "Create"));
        snapshots.Match("note", await node.GetAsync($"/actors/bakery/notes/{id}"));

        // Edited later: Update with the whole new Note (a link instead of the item and photo).
        node.Clock.Advance(TimeSpan.FromMinutes(90));
        await SucceedsAsync(node.Owner.PutAsJsonAsync($"/api/v1/shops/bakery/promotions/{id}", new { text = "Rye is back on Saturday.", link = "https://example.org/rye?size=large&sliced=yes" }));
        snapshots.Match("update-note", await node.DeliveredAsync(carol.Inbox, "Update"));

        // Text alone (the Note links to the storefront), then taken down: Delete of a Tombstone.
        node.Clock.Advance(TimeSpan.FromMinutes(5));
        using var second = await node.Owner.PostAsJsonAsync("/api/v1/shops/bakery/promotions", new { text = "Closed on Monday." });
        var secondId = (await Asserts.CreatedAsync(second)).GetProperty("id").GetInt64();
        snapshots.Match("create-note-text-only", await node.DeliveredAsync(carol.Inbox, "Create", j => j["object"]!["id"]!.GetValue<string>() == $"{ShopActor}/notes/{secondId}"));
        await SucceedsAsync(node.Owner.DeleteAsync($"/api/v1/shops/bakery/promotions/{secondId}"));
        snapshots.Match("delete-note", await node.DeliveredAsync(carol.Inbox, "Delete"));

        snapshots.Match("outbox", await node.GetAsync("/actors/bakery/outbox"));
        snapshots.Match("outbox-page-1", await node.GetAsync("/actors/bakery/outbox?page=1"));
        snapshots.Match("followers", await node.GetAsync("/actors/bakery/followers"));
        snapshots.Match("followers-page-1", await node.GetAsync("/actors/bakery/followers?page=1"));
        snapshots.Verify();
    }

    [Fact]
    public async Task Follow_Accept_Reject_and_Undo_match_their_snapshots()
    {
        await using var node = await StartAsync();
        var alice = node.Peer.AddActor("alice");
        var bob = node.Peer.AddActor("bob", host: "small.example", sharedInbox: false);
        var dora = node.Peer.AddActor("dora", host: "other.example");
        var snapshots = JsonSnapshots.Here();

        // A peer follows the shop: Accept, embedding the Follow as received.
        await node.PostAsync("/actors/bakery/inbox", alice, Follow(alice, alice.Id + "/follows/1", ShopActor));
        snapshots.Match("accept-follow", await node.DeliveredAsync(alice.Inbox, "Accept"));

        // The shop follows a peer, which accepts; the following collection lists it; the shop unfollows (Undo).
        await SucceedsAsync(node.Owner.PostAsJsonAsync("/api/v1/shops/bakery/following", new { account = bob.Id }));
        var follow = await node.DeliveredAsync(bob.Inbox, "Follow");
        snapshots.Match("follow", follow);
        await node.PostAsync("/actors/bakery/inbox", bob, Accept(bob, bob.Id + "/accepts/1", follow));
        await WaitUntilAsync(() => node.App.WithDb(node.Shop.Shop, db => db.Followings.AnyAsync(f => f.Accepted)), "bob accepts the shop's Follow");
        snapshots.Match("following", await node.GetAsync("/actors/bakery/following"));
        snapshots.Match("following-page-1", await node.GetAsync("/actors/bakery/following?page=1"));
        Assert.True(await node.InScopeAsync(services => services.GetRequiredService<Plaza.Features.Follows.FollowActions>().UnfollowAsync(bob.Id, CancellationToken.None)));
        snapshots.Match("undo-follow", await node.DeliveredAsync(bob.Inbox, "Undo"));

        // The owner removes a follower: Reject of its Follow, rebuilt from the Follow's id.
        using var owner = await ConsoleSession.SignedInAsync(node.App, "owner@example.com", (node.Shop, ShopRole.Owner));
        var followerId = await node.App.WithDb(node.Shop.Shop, db => db.Followers.Where(f => f.ActorId == alice.Id).Select(f => f.Id).SingleAsync());
        await SucceedsOrRedirectsAsync(owner.PostFormAsync($"/console/bakery/followers?handler=Remove&id={followerId}", new(), await owner.TokenAsync("/console/bakery/followers")));
        snapshots.Match("reject-follow", await node.DeliveredAsync(alice.Inbox, "Reject"));

        // Approving followers by hand, the owner declines a request: Reject of the Follow as received.
        await node.App.WithDb(null, db =>
        {
            db.FollowerPolicies.Add(new FollowerPolicy { ShopId = node.Shop.Shop.Id, ManuallyApprovesFollowers = true });
            return db.SaveChangesAsync();
        });
        await node.PostAsync("/actors/bakery/inbox", dora, Follow(dora, dora.Id + "/follows/1", ShopActor));
        await WaitUntilAsync(() => node.App.WithDb(node.Shop.Shop, db => db.PendingFollowers.AnyAsync()), "dora's request waits for the owner");
        var pendingId = await node.App.WithDb(node.Shop.Shop, db => db.PendingFollowers.Select(p => p.Id).SingleAsync());
        await SucceedsOrRedirectsAsync(owner.PostFormAsync($"/console/bakery/followers?handler=Reject&id={pendingId}", new(), await owner.TokenAsync("/console/bakery/followers")));
        snapshots.Match("reject-pending-follow", await node.DeliveredAsync(dora.Inbox, "Reject"));
        snapshots.Verify();
    }

    [Fact]
    public async Task Boost_and_its_Undo_match_their_snapshots()
    {
        await using var node = await StartAsync();
        var noodles = node.Peer.AddActor("noodles");
        var carol = node.Peer.AddActor("carol", host: "small.example", sharedInbox: false);
        await FollowedByAsync(node, carol);
        var post = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = noodles.Id + "/notes/1",
            ["type"] = "Note",
            ["attributedTo"] = noodles.Id,
            ["content"] = "<p>Dumplings half price</p>",
            ["to"] = new JsonArray(ActivityStreamsJson.PublicAudience),
        };
        node.Peer.Publish(post);
        var snapshots = JsonSnapshots.Here();

        await SucceedsAsync(node.Owner.PostAsJsonAsync("/api/v1/shops/bakery/boosts", new { @object = noodles.Id + "/notes/1" }));
        snapshots.Match("announce", await node.DeliveredAsync(carol.Inbox, "Announce"));
        var boosts = await node.Owner.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/shops/bakery/boosts");
        node.Clock.Advance(TimeSpan.FromMinutes(10));
        await SucceedsAsync(node.Owner.DeleteAsync($"/api/v1/shops/bakery/boosts/{boosts[0].GetProperty("id").GetInt64()}"));
        snapshots.Match("undo-announce", await node.DeliveredAsync(carol.Inbox, "Undo"));
        snapshots.Verify();
    }

    [Fact]
    public async Task Flag_matches_its_snapshot()
    {
        await using var node = await StartAsync();
        var market = node.Peer.AddActor("market", host: "other.example");
        await KnowShopAsync(node, market);
        var snapshots = JsonSnapshots.Here();

        var outcome = await node.InScopeAsync(services => services.GetRequiredService<Reports>().ReportRemoteShopAsync(market.Id, "Sells <fake> watches & more", CancellationToken.None), inShop: false);
        Assert.Equal(Reports.RemoteReport.Sent, outcome);
        snapshots.Match("flag", await node.DeliveredAsync(market.SharedInbox!, "Flag"));
        snapshots.Verify();
    }

    [Fact]
    public async Task Hub_documents_match_their_snapshots()
    {
        await using var node = await StartAsync();
        var noodles = node.Peer.AddActor("noodles");
        var snapshots = JsonSnapshots.Here();

        await SucceedsAsync(node.Owner.PostAsJsonAsync("/api/v1/shops/bakery/hubs", new { name = "street", displayName = "Market Street", summary = "Shops on Market Street & <around>" }));
        await node.App.WithDb(null, db => db.Hubs.Where(h => h.Name == "street").ExecuteUpdateAsync(s => s
            .SetProperty(h => h.PublicKeyPem, node.Keys.PublicKeyPem).SetProperty(h => h.PrivateKeyPem, node.Keys.PrivateKeyPem)));
        snapshots.Match("group", await node.GetAsync("/hubs/street"));

        // A shop joins: the hub accepts and follows it back; the member accepts the follow back.
        await node.PostAsync("/hubs/street/inbox", noodles, Follow(noodles, noodles.Id + "/follows/street", HubActor));
        snapshots.Match("hub-accept", await node.DeliveredAsync(noodles.Inbox, "Accept"));
        var followBack = await node.DeliveredAsync(noodles.Inbox, "Follow");
        snapshots.Match("hub-follow", followBack);
        await node.PostAsync("/inbox", noodles, Accept(noodles, noodles.Id + "/accepts/street", followBack));
        await WaitUntilAsync(() => node.App.WithDb(null, db => db.HubMembers.AnyAsync(m => m.FollowBackAccepted)), "the member accepts the follow back");

        // The member posts: the hub re-shares the Create as received (a date with milliseconds, a term of its own).
        var create = JsonNode.Parse($$"""
            {
              "@context": ["https://www.w3.org/ns/activitystreams", { "sensitive": "as:sensitive" }],
              "id": "{{noodles.Id}}/notes/1/activity",
              "type": "Create",
              "actor": "{{noodles.Id}}",
              "published": "2026-11-30T09:20:00.123Z",
              "to": ["https://www.w3.org/ns/activitystreams#Public"],
              "cc": ["{{noodles.Id}}/followers"],
              "object": {
                "id": "{{noodles.Id}}/notes/1",
                "type": "Note",
                "attributedTo": "{{noodles.Id}}",
                "content": "<p>Dumplings half price &amp; fresh</p>",
                "published": "2026-11-30T09:20:00.123Z",
                "sensitive": false,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": ["{{noodles.Id}}/followers"]
              }
            }
            """)!.AsObject();
        await node.PostAsync("/inbox", noodles, create);
        snapshots.Match("hub-announce", await node.DeliveredAsync(noodles.SharedInbox!, "Announce"));
        snapshots.Match("hub-followers", await node.GetAsync("/hubs/street/followers"));
        snapshots.Match("hub-outbox", await node.GetAsync("/hubs/street/outbox"));

        // The owner removes the member: Reject of its Follow and Undo of the hub's follow back.
        var memberId = await node.App.WithDb(null, db => db.HubMembers.Select(m => m.Id).SingleAsync());
        Assert.True(await node.InScopeAsync(services => services.GetRequiredService<HubOwner>().RemoveAsync(memberId, CancellationToken.None)));
        snapshots.Match("hub-reject", await node.DeliveredAsync(noodles.Inbox, "Reject"));
        snapshots.Match("hub-undo-follow", await node.DeliveredAsync(noodles.Inbox, "Undo"));
        snapshots.Verify();
    }

    private static async Task SucceedsOrRedirectsAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
