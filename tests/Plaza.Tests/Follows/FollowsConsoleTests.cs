using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Features.Follows;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Follows;

public sealed class FollowsConsoleTests
{
    private static async Task<(PlazaApp App, FakePeer Peer, TestShop Shop, ConsoleSession Owner)> StartAsync(Store store)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, configure: a => peer = FakePeer.For(a));
        var shop = await TestShops.CreateAsync(app);
        var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        return (app, peer!, shop, owner);
    }

    private static string ActorOf(TestShop shop) => $"http://localhost/actors/{shop.Slug}";

    private static Task<List<Follower>> FollowersAsync(PlazaApp app, TestShop shop) =>
        app.WithDb(shop.Shop, db => db.Followers.AsNoTracking().ToListAsync());

    private static Task<bool> ProcessedAsync(PlazaApp app, string activityId) =>
        app.WithDb(null, db => db.InboxActivities.AnyAsync(a => a.ActivityId == activityId && a.ProcessedAt != null));

    private static async Task<HttpResponseMessage> PostAsync(ConsoleSession owner, string page, string handler, Dictionary<string, string>? fields = null) =>
        await owner.PostFormAsync($"{page}?handler={handler}", fields ?? [], await owner.TokenAsync(page));

    private static async Task FollowAsync(PlazaApp app, FakePeer peer, PeerActor actor, TestShop shop)
    {
        var follow = Follow(actor, ActorOf(shop));
        using var response = await PostSignedAsync(app.CreateClient(), "/inbox", actor, follow);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitUntilAsync(() => ProcessedAsync(app, follow["id"]!.GetValue<string>()), "the Follow is processed");
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_removes_a_follower_and_its_server_is_sent_a_Reject(Store store)
    {
        var (app, peer, shop, owner) = await StartAsync(store);
        await using var _ = app;
        using var __ = owner;
        var alice = peer.AddActor("alice");
        await FollowAsync(app, peer, alice, shop);
        var page = $"/console/{shop.Slug}/followers";
        Assert.Contains(alice.Id, await owner.Client.GetStringAsync(page), StringComparison.Ordinal);
        var follower = Assert.Single(await FollowersAsync(app, shop));

        using var removed = await PostAsync(owner, page, "Remove", new() { ["id"] = follower.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Empty(await FollowersAsync(app, shop));
        await WaitUntilAsync(() => peer.PostsTo(alice.Inbox).Any(r => r.Json["type"]!.GetValue<string>() == "Reject"), "alice's server hears of the removal");
        var reject = peer.PostsTo(alice.Inbox).Single(r => r.Json["type"]!.GetValue<string>() == "Reject");
        Assert.Equal(alice.Id, reject.Json["object"]!["actor"]!.GetValue<string>());
        await FederationAsserts.SignedByShopAsync(app.CreateClient(), reject, ActorOf(shop));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_blocked_follower_cannot_follow_the_shop_again_but_others_still_can(Store store)
    {
        var (app, peer, shop, owner) = await StartAsync(store);
        await using var _ = app;
        using var __ = owner;
        var alice = peer.AddActor("alice");
        var bob = peer.AddActor("bob");
        await FollowAsync(app, peer, alice, shop);
        var follower = Assert.Single(await FollowersAsync(app, shop));
        var page = $"/console/{shop.Slug}/followers";

        using var blocked = await PostAsync(owner, page, "Block", new() { ["id"] = follower.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        Assert.Empty(await FollowersAsync(app, shop));
        await FollowAsync(app, peer, alice, shop);
        await FollowAsync(app, peer, bob, shop);
        Assert.Equal([bob.Id], (await FollowersAsync(app, shop)).Select(f => f.ActorId));
        Assert.Contains(alice.Id, await owner.Client.GetStringAsync(page), StringComparison.Ordinal); // listed under Blocked
        using var like = await PostSignedAsync(app.CreateClient(), $"/actors/{shop.Slug}/inbox", alice, Like(alice, ActorOf(shop)));
        Assert.Equal(HttpStatusCode.Forbidden, like.StatusCode);
        using var elsewhere = await PostSignedAsync(app.CreateClient(), "/actors/demo/inbox", alice, Like(alice, "http://localhost/actors/demo"));
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode); // the block is this shop's, not the node's
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task With_manual_approval_follows_wait_for_the_owner_who_approves_or_rejects_them(Store store)
    {
        var (app, peer, shop, owner) = await StartAsync(store);
        await using var _ = app;
        using var __ = owner;
        var page = $"/console/{shop.Slug}/followers";
        using var policy = await PostAsync(owner, page, "Policy", new() { ["manual"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, policy.StatusCode);
        var actor = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), $"/actors/{shop.Slug}");
        Assert.True(actor.GetProperty("manuallyApprovesFollowers").GetBoolean());
        var alice = peer.AddActor("alice", sharedInbox: false);
        var bob = peer.AddActor("bob", sharedInbox: false);

        await FollowAsync(app, peer, alice, shop);
        await FollowAsync(app, peer, bob, shop);

        Assert.Empty(await FollowersAsync(app, shop));
        Assert.Empty(peer.PostsTo(alice.Inbox));
        var pending = await app.WithDb(shop.Shop, db => db.PendingFollowers.AsNoTracking().OrderBy(p => p.Id).ToListAsync());
        Assert.Equal([alice.Id, bob.Id], pending.Select(p => p.ActorId));
        Assert.Contains(alice.Id, await owner.Client.GetStringAsync(page), StringComparison.Ordinal);

        using var approved = await PostAsync(owner, page, "Approve", new() { ["id"] = pending[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var rejected = await PostAsync(owner, page, "Reject", new() { ["id"] = pending[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (approved.StatusCode, rejected.StatusCode));
        Assert.Equal([alice.Id], (await FollowersAsync(app, shop)).Select(f => f.ActorId));
        await WaitUntilAsync(() => peer.PostsTo(alice.Inbox).Any() && peer.PostsTo(bob.Inbox).Any(), "both get their answer");
        Assert.Equal("Accept", peer.PostsTo(alice.Inbox).Single().Json["type"]!.GetValue<string>());
        Assert.Equal("Reject", peer.PostsTo(bob.Inbox).Single().Json["type"]!.GetValue<string>());
        Assert.Empty(await app.WithDb(shop.Shop, db => db.PendingFollowers.ToListAsync()));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_posts_from_the_console_sees_delivery_state_and_takes_the_post_down(Store store)
    {
        var (app, peer, shop, owner) = await StartAsync(store);
        await using var _ = app;
        using var __ = owner;
        var alice = peer.AddActor("alice");
        await FollowAsync(app, peer, alice, shop);
        var page = $"/console/{shop.Slug}/posts";

        using var invalid = await owner.PostFormAsync(page, new() { ["Text"] = "", ["Link"] = "javascript:alert(1)" }, await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using var posted = await owner.PostFormAsync(page, new() { ["Text"] = "Fresh croissants at 7", ["Link"] = "" }, await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(alice.SharedInbox!).Any(r => r.Json["type"]!.GetValue<string>() == "Create"), "the post is delivered");
        await WaitUntilAsync(async () => (await owner.Client.GetStringAsync(page)).Contains("delivered 1 · pending 0 · failed 0", StringComparison.Ordinal), "the owner sees it delivered");
        var promotion = await app.WithDb(shop.Shop, db => db.Promotions.SingleAsync());
        Assert.Equal("Fresh croissants at 7", promotion.Text);

        using var takenDown = await PostAsync(owner, page, "TakeDown", new() { ["id"] = promotion.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.Redirect, takenDown.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(alice.SharedInbox!).Any(r => r.Json["type"]!.GetValue<string>() == "Delete"), "the Delete is delivered");
        Assert.DoesNotContain("Fresh croissants", await owner.Client.GetStringAsync(page), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_follows_a_remote_account_by_handle_and_sees_when_it_accepts(Store store)
    {
        var (app, peer, shop, owner) = await StartAsync(store);
        await using var _ = app;
        using var __ = owner;
        var partner = peer.AddActor("partner", sharedInbox: false);
        var page = $"/console/{shop.Slug}/following";

        using var unknown = await owner.PostFormAsync(page, new() { ["Account"] = "nobody@peer.example" }, await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var followed = await owner.PostFormAsync(page, new() { ["Account"] = "partner@peer.example" }, await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, followed.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(partner.Inbox).Any(), "the Follow reaches the partner");
        var follow = peer.PostsTo(partner.Inbox).Single().Json;
        Assert.Contains("waiting for an answer", await owner.Client.GetStringAsync(page), StringComparison.Ordinal);
        var accept = new System.Text.Json.Nodes.JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = partner.Id + "/accepts/1",
            ["type"] = "Accept",
            ["actor"] = partner.Id,
            ["object"] = System.Text.Json.Nodes.JsonNode.Parse(follow.ToJsonString()),
        };
        using var answered = await PostSignedAsync(app.CreateClient(), "/inbox", partner, accept);
        await WaitUntilAsync(() => ProcessedAsync(app, partner.Id + "/accepts/1"), "the Accept is processed");
        var html = await owner.Client.GetStringAsync(page);
        Assert.Contains(partner.Id, html, StringComparison.Ordinal);
        Assert.Contains(">follow accepted<", html, StringComparison.Ordinal);

        using var unfollowed = await owner.PostFormAsync(page + "?handler=Unfollow", new() { ["actor"] = partner.Id }, await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, unfollowed.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(partner.Inbox).Any(r => r.Json["type"]!.GetValue<string>() == "Undo"), "the Undo reaches the partner");
        var undo = peer.PostsTo(partner.Inbox).Single(r => r.Json["type"]!.GetValue<string>() == "Undo").Json;
        Assert.Equal(follow["id"]!.GetValue<string>(), undo["object"]!["id"]!.GetValue<string>());
        Assert.DoesNotContain(partner.Id, await owner.Client.GetStringAsync(page), StringComparison.Ordinal);
        using var again = await owner.PostFormAsync(page + "?handler=Unfollow", new() { ["actor"] = partner.Id }, await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }
}
