using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Features.Follows;
using Plaza.Federation.ActivityStreams;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Hubs;

/// <summary>The owner's console pages for shop links: hubs the shop runs or joins, and boosts of followed shops' posts.</summary>
[LongRunning]
public sealed class ShopLinksConsoleTests
{
    private static async Task<(PlazaApp App, FakePeer Peer, TestShop Shop, ConsoleSession Owner)> StartAsync(Store store)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, configure: a =>
        {
            peer = For(a);
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
        });
        var shop = await TestShops.CreateAsync(app);
        var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        return (app, peer!, shop, owner);
    }

    private static string ActorOf(TestShop shop) => $"http://localhost/actors/{shop.Slug}";

    private static async Task<HttpResponseMessage> PostAsync(ConsoleSession owner, string page, string handler, Dictionary<string, string>? fields = null) =>
        await owner.PostFormAsync($"{page}?handler={handler}", fields ?? [], await owner.TokenAsync(page));

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Type(ReceivedRequest request) => request.Json["type"]!.GetValue<string>();

    private static async Task<string> JoinAsync(PlazaApp app, PeerActor actor, string hub)
    {
        var follow = Follow(actor, hub);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), new Uri(hub).AbsolutePath + "/inbox", actor, follow)).StatusCode);
        var followId = follow["id"]!.GetValue<string>();
        await WaitUntilAsync(() => app.WithDb(null, db => db.InboxActivities.AnyAsync(a => a.ActivityId == followId && a.ProcessedAt != null)), "the join request is processed");
        return followId;
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_starts_a_hub_approves_a_join_request_declines_another_and_removes_a_member(Store store)
    {
        var (app, peer, shop, owner) = await StartAsync(store);
        await using var _ = app;
        using var __ = owner;
        var page = $"/console/{shop.Slug}/hubs";
        const string hub = "http://localhost/hubs/main-street";

        using var invalid = await PostAsync(owner, page, "Create", new() { ["Name"] = "Main Street!" });
        using var created = await PostAsync(owner, page, "Create", new() { ["Name"] = "main-street", ["DisplayName"] = "Main Street", ["Summary"] = "Food court" });
        using var approval = await PostAsync(owner, page, "Approval", new() { ["name"] = "main-street", ["approve"] = "true" });
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Redirect, HttpStatusCode.Redirect), (invalid.StatusCode, created.StatusCode, approval.StatusCode));
        var group = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/hubs/main-street");
        Assert.True(group.GetProperty("manuallyApprovesFollowers").GetBoolean());

        var noodles = peer.AddActor("noodles");
        var bakery = peer.AddActor("bakery", host: "small.example", sharedInbox: false);
        var noodlesFollow = await JoinAsync(app, noodles, hub);
        await JoinAsync(app, bakery, hub);
        Assert.Empty(peer.PostsTo(noodles.Inbox));
        var html = await new HtmlParser().ParseDocumentAsync(await owner.Client.GetStringAsync(page));
        Assert.Contains(hub, html.QuerySelector("#hub-main-street")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, html.QuerySelectorAll("#hub-main-street table.pending tr").Length);
        Assert.DoesNotContain(noodles.Id, (await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/hubs/main-street/followers")).ToString(), StringComparison.Ordinal);
        var members = await app.WithDb(null, db => db.HubMembers.AsNoTracking().ToListAsync());

        using var approved = await PostAsync(owner, page, "Approve", new() { ["id"] = Id(members.Single(m => m.ActorId == noodles.Id).Id) });
        using var declined = await PostAsync(owner, page, "Remove", new() { ["id"] = Id(members.Single(m => m.ActorId == bakery.Id).Id) });

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (approved.StatusCode, declined.StatusCode));
        await WaitUntilAsync(() => peer.PostsTo(noodles.Inbox).Count() >= 2 && peer.PostsTo(bakery.Inbox).Any(), "the answers are delivered");
        var accept = peer.PostsTo(noodles.Inbox).Single(r => Type(r) == "Accept");
        Assert.Equal(noodlesFollow, accept.Json["object"]!["id"]!.GetValue<string>());
        await FederationAsserts.SignedByShopAsync(app.CreateClient(), accept, hub);
        var followBack = peer.PostsTo(noodles.Inbox).Single(r => Type(r) == "Follow");
        Assert.Equal(noodles.Id, followBack.Json["object"]!.GetValue<string>());
        Assert.Equal(["Reject"], peer.PostsTo(bakery.Inbox).Select(Type));
        var member = Assert.Single(await app.WithDb(null, db => db.HubMembers.AsNoTracking().ToListAsync()));
        Assert.Equal((noodles.Id, false), (member.ActorId, member.Pending));
        Assert.Contains(noodles.Id, (await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/hubs/main-street/followers")).ToString(), StringComparison.Ordinal);

        using var removed = await PostAsync(owner, page, "Remove", new() { ["id"] = Id(member.Id) });

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Empty(await app.WithDb(null, db => db.HubMembers.ToListAsync()));
        await WaitUntilAsync(() => peer.PostsTo(noodles.Inbox).Count() >= 4, "the removed member hears of it");
        var undo = peer.PostsTo(noodles.Inbox).Single(r => Type(r) == "Undo");
        Assert.Equal(followBack.Json["id"]!.GetValue<string>(), undo.Json["object"]!["id"]!.GetValue<string>());
        Assert.Equal(noodlesFollow, peer.PostsTo(noodles.Inbox).Single(r => Type(r) == "Reject").Json["object"]!["id"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_joins_a_hub_on_another_node_by_its_handle_and_leaves_it(Store store)
    {
        var (app, peer, shop, owner) = await StartAsync(store);
        await using var _ = app;
        using var __ = owner;
        var street = peer.AddActor("street");
        peer.Describe(street, new JsonObject { ["type"] = "Group" });
        var page = $"/console/{shop.Slug}/hubs";

        using var unknown = await PostAsync(owner, page, "Join", new() { ["Account"] = "nobody@peer.example" });
        using var joined = await PostAsync(owner, page, "Join", new() { ["Account"] = "street@peer.example" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Redirect), (unknown.StatusCode, joined.StatusCode));
        await WaitUntilAsync(() => peer.PostsTo(street.Inbox).Any(), "the hub receives the Follow");
        var follow = peer.PostsTo(street.Inbox).Single().Json;
        Assert.Equal(("Follow", ActorOf(shop), street.Id), (follow["type"]!.GetValue<string>(), follow["actor"]!.GetValue<string>(), follow["object"]!.GetValue<string>()));
        var html = await new HtmlParser().ParseDocumentAsync(await owner.Client.GetStringAsync(page));
        Assert.Contains(street.Id, html.QuerySelector("#joined")!.TextContent, StringComparison.Ordinal);

        using var left = await PostAsync(owner, page, "Leave", new() { ["actor"] = street.Id });

        Assert.Equal(HttpStatusCode.Redirect, left.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(street.Inbox).Count() == 2, "the hub receives the Undo");
        var undo = peer.PostsTo(street.Inbox).Last().Json;
        Assert.Equal(("Undo", follow["id"]!.GetValue<string>()), (undo["type"]!.GetValue<string>(), undo["object"]!["id"]!.GetValue<string>()));
        await FederationAsserts.SignedByShopAsync(app.CreateClient(), peer.PostsTo(street.Inbox).Last(), ActorOf(shop));
        Assert.Empty(await app.WithDb(shop.Shop, db => db.Followings.ToListAsync()));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_boosts_a_followed_shops_stored_post_to_its_followers_and_undoes_it(Store store)
    {
        var (app, peer, shop, owner) = await StartAsync(store);
        await using var _ = app;
        using var __ = owner;
        var noodles = peer.AddActor("noodles");
        var stranger = peer.AddActor("stranger", host: "elsewhere.example");
        var carol = peer.AddActor("carol", host: "small.example", sharedInbox: false);
        await app.WithDb(shop.Shop, db =>
        {
            db.Followings.Add(new Following { ShopId = shop.Shop.Id, ActorId = noodles.Id, FollowActivityId = $"{ActorOf(shop)}/activities/follow/{Guid.NewGuid():N}", Accepted = true, RequestedAt = DateTime.UtcNow });
            db.Followers.Add(new Follower { ShopId = shop.Shop.Id, ActorId = carol.Id, Inbox = carol.Inbox, FollowedAt = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });
        JsonObject Note(PeerActor author, string text) => new()
        {
            ["id"] = $"{author.Id}/notes/{Guid.NewGuid():N}",
            ["type"] = "Note",
            ["attributedTo"] = author.Id,
            ["content"] = text,
            ["to"] = new JsonArray(ActivityStreamsJson.PublicAudience),
        };
        var post = Note(noodles, "<p>Dumplings &lt;b&gt;half&lt;/b&gt; price</p>");
        var published = post.DeepClone().AsObject();
        published.Insert(0, "@context", "https://www.w3.org/ns/activitystreams");
        peer.Publish(published);
        foreach (var (author, note) in new[] { (noodles, post), (stranger, Note(stranger, "Not followed")) })
        {
            var create = new JsonObject
            {
                ["@context"] = "https://www.w3.org/ns/activitystreams",
                ["id"] = note["id"]!.GetValue<string>() + "/activity",
                ["type"] = "Create",
                ["actor"] = author.Id,
                ["to"] = new JsonArray(ActivityStreamsJson.PublicAudience),
                ["object"] = note.DeepClone(),
            };
            Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", author, create)).StatusCode);
        }
        // The stranger's post concerns nobody here: acknowledged, not kept. The followed shop's is.
        await WaitUntilAsync(() => app.WithDb(null, db => db.InboxActivities.CountAsync(a => a.Type == "Create" && a.ProcessedAt != null)).ContinueWith(t => t.Result == 1),
            "the followed shop's post is stored");
        Assert.False(await app.WithDb(null, db => db.InboxActivities.AnyAsync(a => a.ActorId == stranger.Id)));
        var page = $"/console/{shop.Slug}/boosts";

        var html = await new HtmlParser().ParseDocumentAsync(await owner.Client.GetStringAsync(page));
        var shown = Assert.Single(html.QuerySelectorAll("#followed-posts li.post"));
        Assert.Equal("Dumplings <b>half</b> price", shown.QuerySelector(".post-text")!.TextContent);
        Assert.Equal(noodles.Id, shown.QuerySelector(".actor")!.TextContent);
        Assert.Equal(post["id"]!.GetValue<string>(), shown.QuerySelector("input[name=ObjectId]")!.GetAttribute("value"));

        using var boosted = await PostAsync(owner, page, "Boost", new() { ["ObjectId"] = post["id"]!.GetValue<string>() });

        Assert.Equal(HttpStatusCode.Redirect, boosted.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(carol.Inbox).Any(), "the follower receives the boost");
        var announce = peer.PostsTo(carol.Inbox).Single();
        Assert.Equal(("Announce", post["id"]!.GetValue<string>(), ActorOf(shop)), (Type(announce), announce.Json["object"]!.GetValue<string>(), announce.Json["actor"]!.GetValue<string>()));
        await FederationAsserts.SignedByShopAsync(app.CreateClient(), announce, ActorOf(shop));
        html = await new HtmlParser().ParseDocumentAsync(await owner.Client.GetStringAsync(page));
        Assert.Contains(post["id"]!.GetValue<string>(), html.QuerySelector("#boosts")!.TextContent, StringComparison.Ordinal);
        var boost = Assert.Single(await app.WithDb(shop.Shop, db => db.Boosts.AsNoTracking().ToListAsync()));

        using var undone = await PostAsync(owner, page, "Undo", new() { ["id"] = Id(boost.Id) });

        Assert.Equal(HttpStatusCode.Redirect, undone.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(carol.Inbox).Count() == 2, "the follower receives the Undo");
        var undo = peer.PostsTo(carol.Inbox).Last().Json;
        Assert.Equal(("Undo", announce.Json["id"]!.GetValue<string>()), (undo["type"]!.GetValue<string>(), undo["object"]!["id"]!.GetValue<string>()));
        Assert.NotNull((await app.WithDb(shop.Shop, db => db.Boosts.AsNoTracking().SingleAsync())).UndoneAt);
        html = await new HtmlParser().ParseDocumentAsync(await owner.Client.GetStringAsync(page));
        Assert.Empty(html.QuerySelectorAll("#boosts tr"));
    }
}
