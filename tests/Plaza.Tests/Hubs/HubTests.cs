using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Ordering;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Catalog;
using Plaza.Features.Nearby;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Hubs;

/// <summary>A neighbourhood hub (FEP-1b12): shops join it, and it re-shares their public posts to every member.</summary>
public sealed class HubTests
{
    private const string HubActor = "http://localhost/hubs/street";

    private static JsonObject Create(PeerActor author, bool isPublic)
    {
        var note = new JsonObject
        {
            ["id"] = $"{author.Id}/notes/{Guid.NewGuid():N}",
            ["type"] = "Note",
            ["attributedTo"] = author.Id,
            ["content"] = "<p>Dumplings half price</p>",
            ["to"] = isPublic ? new JsonArray(ActivityStreamsJson.PublicAudience) : new JsonArray(author.Id + "/followers"),
        };
        return new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = note["id"]!.GetValue<string>() + "/activity",
            ["type"] = "Create",
            ["actor"] = author.Id,
            ["to"] = note["to"]!.DeepClone(),
            ["object"] = note,
        };
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_hub_accepts_members_follows_them_back_and_announces_their_public_posts_to_every_member(Store store)
    {
        FakePeer? peer = null;
        await using var app = await PlazaApp.StartAsync(store, configure: a =>
        {
            peer = For(a);
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
        });
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        var staff = app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner));
        using var created = await staff.PostAsJsonAsync("/api/v1/shops/demo/hubs", new { name = "street", displayName = "Our street" });
        Assert.Equal(HubActor, (await Asserts.CreatedAsync(created)).GetProperty("actor").GetString());
        var group = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/hubs/street");
        Assert.Equal("Group", group.GetProperty("type").GetString());

        var noodles = peer!.AddActor("noodles");
        var bakery = peer.AddActor("bakery", host: "small.example", sharedInbox: false);
        foreach (var member in new[] { noodles, bakery })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/hubs/street/inbox", member, Follow(member, HubActor))).StatusCode);
        }
        await WaitUntilAsync(() => new[] { noodles, bakery }.All(m => peer.PostsTo(m.Inbox).Count() >= 2), "each member gets an Accept and a Follow back");
        foreach (var member in new[] { noodles, bakery })
        {
            var received = peer.PostsTo(member.Inbox).ToList();
            Assert.Contains(received, r => r.Json["type"]!.GetValue<string>() == "Accept");
            var followBack = received.Single(r => r.Json["type"]!.GetValue<string>() == "Follow");
            Assert.Equal(HubActor, followBack.Json["actor"]!.GetValue<string>());
            await FederationAsserts.SignedByShopAsync(app.CreateClient(), followBack, HubActor);
            var accept = new JsonObject { ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = $"{member.Id}/accepts/{Guid.NewGuid():N}", ["type"] = "Accept", ["actor"] = member.Id, ["object"] = JsonNode.Parse(followBack.Json.ToJsonString()) };
            Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", member, accept)).StatusCode);
        }
        await WaitUntilAsync(() => app.WithDb(null, db => db.HubMembers.CountAsync(m => m.FollowBackAccepted)).ContinueWith(t => t.Result == 2), "both members accept the follow back");

        var followersOnly = Create(noodles, isPublic: false);
        var open = Create(noodles, isPublic: true);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", noodles, followersOnly)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", noodles, open)).StatusCode);

        await WaitUntilAsync(() => peer.PostsTo(bakery.Inbox).Any(r => r.Json["type"]!.GetValue<string>() == "Announce"), "the bakery receives the hub's re-share");
        var announce = peer.PostsTo(bakery.Inbox).Single(r => r.Json["type"]!.GetValue<string>() == "Announce");
        Assert.Equal(HubActor, announce.Json["actor"]!.GetValue<string>());
        Assert.Equal(HubActor, announce.Json["audience"]!.GetValue<string>());
        Assert.Equal(open["id"]!.GetValue<string>(), announce.Json["object"]!["id"]!.GetValue<string>());
        await FederationAsserts.SignedByShopAsync(app.CreateClient(), announce, HubActor);
        await WaitUntilAsync(() => peer.PostsTo("https://peer.example/inbox").Any(r => r.Json["type"]!.GetValue<string>() == "Announce"), "the author's server gets it too");

        // The same note arriving again in another Create (a new activity id, so the inbox's dedupe by id does
        // not catch it) is not re-shared twice.
        var again = open.DeepClone().AsObject();
        again["id"] = $"{noodles.Id}/creates/{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/hubs/street/inbox", noodles, again)).StatusCode);
        await WaitUntilAsync(() => app.WithDb(null, db => db.InboxActivities.AnyAsync(a => a.ActivityId == again["id"]!.GetValue<string>() && a.ProcessedAt != null)),
            "the second Create of the same note is processed");
        var outbox = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/hubs/street/outbox");
        Assert.Equal(1, outbox.GetProperty("totalItems").GetInt32());
        Assert.Equal(announce.Json["id"]!.GetValue<string>(), outbox.GetProperty("orderedItems")[0].GetProperty("id").GetString());
        var followers = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/hubs/street/followers");
        Assert.Equal(2, followers.GetProperty("totalItems").GetInt32());
        Assert.Single(peer.PostsTo(bakery.Inbox), r => r.Json["type"]!.GetValue<string>() == "Announce");

        // A member that leaves gets nothing more.
        var leave = Undo(bakery, Follow(bakery, HubActor));
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/hubs/street/inbox", bakery, leave)).StatusCode);
        await WaitUntilAsync(() => app.WithDb(null, db => db.HubMembers.CountAsync()).ContinueWith(t => t.Result == 1), "the bakery leaves the hub");
    }

    [Fact]
    public async Task A_hub_needs_a_handle_for_a_name_and_one_name_is_one_hub_per_node()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        var staff = app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner));

        using var bad = await staff.PostAsJsonAsync("/api/v1/shops/demo/hubs", new { name = "Our Street!" });
        Asserts.HasFieldError(await Asserts.ProblemAsync(bad, HttpStatusCode.BadRequest, "invalid-request"), "name");
        using var first = await staff.PostAsJsonAsync("/api/v1/shops/demo/hubs", new { name = "street" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var second = await staff.PostAsJsonAsync("/api/v1/shops/demo/hubs", new { name = "street" });
        await Asserts.ProblemAsync(second, HttpStatusCode.Conflict, "hub-exists");
        using var anonymous = await app.CreateClient().PostAsJsonAsync("/api/v1/shops/demo/hubs", new { name = "other" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/hubs/other")).StatusCode);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_shop_seen_through_a_followed_hub_joins_the_nearby_directory_as_shared(Store store)
    {
        FakePeer? peer = null;
        await using var app = await PlazaApp.StartAsync(store, configure: a =>
        {
            peer = For(a);
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
        });
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        var staff = app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner));
        var hub = peer!.AddActor("street");
        peer.Describe(hub, new JsonObject { ["type"] = "Group" });
        var noodles = peer.AddActor("noodles");
        peer.Describe(noodles, new JsonObject
        {
            ["type"] = "Organization",
            ["name"] = "Noodle bar",
            ["url"] = "https://peer.example/s/noodles",
            ["location"] = new JsonObject { ["type"] = "Place", ["latitude"] = 52.5030, ["longitude"] = 13.4250 },
        });
        var stranger = peer.AddActor("stranger");

        using var followed = await staff.PostAsJsonAsync("/api/v1/shops/demo/following", new { account = hub.Id });
        Assert.Equal(HttpStatusCode.Accepted, followed.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(hub.Inbox).Any(), "the Follow reaches the hub");
        var accept = new JsonObject { ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = hub.Id + "/accepts/1", ["type"] = "Accept", ["actor"] = hub.Id, ["object"] = JsonNode.Parse(peer.PostsTo(hub.Inbox).Single().Json.ToJsonString()) };
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/actors/demo/inbox", hub, accept)).StatusCode);

        JsonObject Announce(PeerActor by) => new()
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{by.Id}/announces/{Guid.NewGuid():N}",
            ["type"] = "Announce",
            ["actor"] = by.Id,
            ["audience"] = hub.Id,
            // Addressed to the shop, so the inbox keeps it whoever sends it.
            ["to"] = new JsonArray("http://localhost/actors/demo"),
            ["object"] = Create(noodles, isPublic: true),
        };
        // Only what a followed actor re-shares counts: a stranger's Announce teaches nothing.
        var fromStranger = Announce(stranger);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", stranger, fromStranger)).StatusCode);
        await WaitUntilAsync(() => app.WithDb(null, db => db.InboxActivities.AnyAsync(a => a.ActivityId == fromStranger["id"]!.GetValue<string>() && a.ProcessedAt != null)),
            "the stranger's Announce is processed");
        Assert.False(await app.WithDb(null, db => db.KnownShops.AnyAsync()));

        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", hub, Announce(hub))).StatusCode);
        await WaitUntilAsync(() => app.WithDb(null, db => db.KnownShops.AnyAsync(s => s.ActorId == noodles.Id)), "the hub's member joins the directory");
        var known = await app.WithDb(null, db => db.KnownShops.SingleAsync(s => s.ActorId == noodles.Id));
        Assert.Equal(KnownShopSource.Shared, known.Source);
        Assert.Equal("https://peer.example/s/noodles", known.StorefrontUrl);
    }
}
