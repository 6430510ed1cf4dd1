using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Features.Follows;
using Plaza.Features.Moderation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Moderation;

public sealed class OperatorBlockTests
{
    private const string ShopActor = "http://localhost/actors/demo";

    private static async Task<(PlazaApp App, Federation.FakePeer Peer)> StartAsync(Store store)
    {
        Federation.FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, configure: a => peer = Federation.FakePeer.For(a));
        return (app, peer!);
    }

    private static async Task<(int Exit, string Output)> RunAsync(PlazaApp app, string command, params string[] args)
    {
        var output = new StringWriter();
        var exit = await ModerationCommands.RunAsync(app.Services, command, args, output, output);
        return (exit, output.ToString());
    }

    private static async Task FollowAndLikeAsync(PlazaApp app, PeerActor actor)
    {
        var client = app.CreateClient();
        var follow = Follow(actor, ShopActor);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(client, "/inbox", actor, follow)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(client, "/inbox", actor, Like(actor, ShopActor + "/notes/1"))).StatusCode);
        await WaitUntilAsync(() => app.WithDb(null, db => db.Followers.IgnoreQueryFilters().AnyAsync(f => f.ActorId == actor.Id)), "the follow is processed");
        await app.WithDb(null, async db =>
        {
            var shop = await db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug);
            db.Followings.Add(new Following { ShopId = shop.Id, ActorId = actor.Id, FollowActivityId = $"{ShopActor}/activities/follow/{Guid.NewGuid():N}", Accepted = true, RequestedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
    }

    /// <summary>Who still follows, is followed, and has stored activities, as one comparable line.</summary>
    private static Task<string> StateAsync(PlazaApp app) => app.WithDb(null, async db => string.Join(" | ",
        string.Join(",", await db.Followers.IgnoreQueryFilters().Select(f => f.ActorId).OrderBy(a => a).ToListAsync()),
        string.Join(",", await db.Followings.IgnoreQueryFilters().Select(f => f.ActorId).OrderBy(a => a).ToListAsync()),
        string.Join(",", await db.InboxActivities.Select(a => a.ActorId).Distinct().OrderBy(a => a).ToListAsync())));

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Blocking_a_domain_removes_its_follows_and_activities_and_refuses_it_afterwards(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var _ = app;
        var alice = peer.AddActor("alice", host: "bad.example");
        var sub = peer.AddActor("sub", host: "eu.bad.example");
        var carol = peer.AddActor("carol", host: "good.example");
        await FollowAndLikeAsync(app, alice);
        await FollowAndLikeAsync(app, sub);
        await FollowAndLikeAsync(app, carol);

        var (exit, output) = await RunAsync(app, "block-domain", "Bad.Example", "spam", "wave");

        Assert.Equal(0, exit);
        Assert.Contains("Removed 2 follower(s), 2 follow(s)", output, StringComparison.Ordinal);
        Assert.Equal($"{carol.Id} | {carol.Id} | {carol.Id}", await StateAsync(app));
        using var again = await PostSignedAsync(app.CreateClient(), "/inbox", alice, Follow(alice, ShopActor));
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Contains("bad.example", (await RunAsync(app, "blocks")).Output, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync(app, "unblock-domain", "bad.example")).Exit);
        using var afterUnblock = await PostSignedAsync(app.CreateClient(), "/inbox", alice, Follow(alice, ShopActor));
        Assert.Equal(HttpStatusCode.Accepted, afterUnblock.StatusCode);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Blocking_an_actor_removes_it_everywhere_and_refuses_it_but_not_its_neighbours(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var _ = app;
        var troll = peer.AddActor("troll");
        var neighbour = peer.AddActor("neighbour");
        await FollowAndLikeAsync(app, troll);
        await FollowAndLikeAsync(app, neighbour);

        var (exit, _) = await RunAsync(app, "block-actor", troll.Id);

        Assert.Equal(0, exit);
        Assert.Equal($"{neighbour.Id} | {neighbour.Id} | {neighbour.Id}", await StateAsync(app));
        using var refused = await PostSignedAsync(app.CreateClient(), "/inbox", troll, Like(troll, ShopActor));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var neighbourly = await PostSignedAsync(app.CreateClient(), "/inbox", neighbour, Like(neighbour, ShopActor));
        Assert.Equal(HttpStatusCode.Accepted, neighbourly.StatusCode);
    }

    /// <summary>A shop that approves followers by hand, its owner's session, and a waiting follow request from each actor.</summary>
    private static async Task<(TestShop Shop, ConsoleSession Owner)> RequestsWaitingAsync(PlazaApp app, params PeerActor[] actors)
    {
        var shop = await TestShops.CreateAsync(app);
        await app.WithDb(null, db =>
        {
            db.FollowerPolicies.Add(new FollowerPolicy { ShopId = shop.Shop.Id, ManuallyApprovesFollowers = true });
            return db.SaveChangesAsync();
        });
        var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        foreach (var actor in actors)
        {
            using var posted = await PostSignedAsync(app.CreateClient(), "/inbox", actor, Follow(actor, $"http://localhost/actors/{shop.Slug}"));
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }
        await WaitUntilSettledAsync(app);
        var page = await owner.Client.GetStringAsync($"/console/{shop.Slug}/followers");
        Assert.All(actors, a => Assert.Contains(a.Id, page, StringComparison.Ordinal));
        return (shop, owner);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Blocking_a_domain_removes_its_follow_requests_waiting_for_the_owner(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var _ = app;
        var alice = peer.AddActor("alice", host: "bad.example");
        var carol = peer.AddActor("carol", host: "good.example");
        var (shop, owner) = await RequestsWaitingAsync(app, alice, carol);
        using var __ = owner;

        Assert.Equal(0, (await RunAsync(app, "block-domain", "bad.example")).Exit);

        var page = await owner.Client.GetStringAsync($"/console/{shop.Slug}/followers");
        Assert.DoesNotContain(alice.Id, page, StringComparison.Ordinal);
        Assert.Contains(carol.Id, page, StringComparison.Ordinal);
        Assert.Equal([carol.Id], await app.WithDb(null, db => db.PendingFollowers.IgnoreQueryFilters().Select(p => p.ActorId).ToListAsync()));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Blocking_a_domain_forgets_its_cached_actors(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var _ = app;
        var alice = peer.AddActor("alice", host: "bad.example");
        var sub = peer.AddActor("sub", host: "eu.bad.example");
        var carol = peer.AddActor("carol", host: "good.example");
        var (_, owner) = await RequestsWaitingAsync(app, alice, sub, carol);
        owner.Dispose();
        Assert.Equal([alice.Id, sub.Id, carol.Id], await CachedActorsAsync(app, alice, sub, carol));

        Assert.Equal(0, (await RunAsync(app, "block-domain", "bad.example")).Exit);

        Assert.Equal([carol.Id], await CachedActorsAsync(app, alice, sub, carol));
    }

    private static async Task<List<string>> CachedActorsAsync(PlazaApp app, params PeerActor[] actors)
    {
        var ids = actors.Select(a => a.Id).ToList();
        var cached = await app.WithDb(null, db => db.RemoteActors.Where(a => ids.Contains(a.ActorId)).Select(a => a.ActorId).ToListAsync());
        return [.. ids.Where(cached.Contains)];
    }

    [Fact]
    public async Task Bad_arguments_print_usage_and_block_nothing()
    {
        var (app, _) = await StartAsync(Store.Sqlite);
        await using var __ = app;

        Assert.Equal(2, (await RunAsync(app, "block-domain", "not a domain")).Exit);
        Assert.Equal(2, (await RunAsync(app, "block-actor", "javascript:alert(1)")).Exit);
        Assert.Equal(2, (await RunAsync(app, "block-domain")).Exit);

        Assert.Equal(0, await app.WithDb(null, async db => await db.BlockedDomains.CountAsync() + await db.BlockedActors.CountAsync()));
    }
}
