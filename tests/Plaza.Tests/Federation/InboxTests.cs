using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Moderation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Federation;

public sealed class InboxTests
{
    private const string ShopActor = "http://localhost/actors/demo";

    private static async Task<(PlazaApp App, FakePeer Peer)> StartAsync(Store store, TimeProvider? clock = null)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, clock, a => peer = FakePeer.For(a));
        return (app, peer!);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_remote_follow_is_accepted_with_a_signed_Accept_and_Undo_removes_the_follower(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var _ = app;
        var client = app.CreateClient();
        var alice = peer.AddActor("alice");
        var follow = Follow(alice, ShopActor);

        using var response = await PostSignedAsync(client, "/actors/demo/inbox", alice, follow);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(alice.Inbox).Any(), "the Accept reaches alice's inbox");
        var accept = peer.PostsTo(alice.Inbox).Single();
        Assert.Equal("Accept", accept.Json["type"]!.GetValue<string>());
        Assert.Equal(ShopActor, accept.Json["actor"]!.GetValue<string>());
        Assert.Equal(follow["id"]!.GetValue<string>(), accept.Json["object"]!["id"]!.GetValue<string>());
        await FederationAsserts.SignedByShopAsync(client, accept);

        var followers = await FederationAsserts.GetActivityJsonAsync(client, "/actors/demo/followers");
        Assert.Equal(1, followers.GetProperty("totalItems").GetInt32());
        var page = await FederationAsserts.GetActivityJsonAsync(client, "/actors/demo/followers?page=1");
        Assert.Equal(alice.Id, page.GetProperty("orderedItems")[0].GetString());

        using var undo = await PostSignedAsync(client, "/inbox", alice, Undo(alice, follow));
        Assert.Equal(HttpStatusCode.Accepted, undo.StatusCode);
        await WaitUntilAsync(async () => (await FederationAsserts.GetActivityJsonAsync(client, "/actors/demo/followers")).GetProperty("totalItems").GetInt32() == 0,
            "the Undo removes alice from the followers");
    }

    [Fact]
    public async Task Inbox_accepts_an_activity_signed_with_RFC_9421()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var bob = peer.AddActor("bob");

        using var response = await PostSignedAsync(app.CreateClient(), "/actors/demo/inbox", bob, Follow(bob, ShopActor), rfc9421: true);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(bob.Inbox).Any(), "bob's follow is accepted");
    }

    [Fact]
    public async Task Inbox_refuses_an_unsigned_post()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var mallory = peer.AddActor("mallory");

        using var response = await app.CreateClient().PostAsync("/actors/demo/inbox",
            new StringContent(Follow(mallory, ShopActor).ToJsonString(), Encoding.UTF8, "application/activity+json"));

        await Asserts.ProblemAsync(response, HttpStatusCode.Unauthorized, "not-signed");
        Assert.Equal(0, await StoredActivitiesAsync(app));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Inbox_refuses_a_body_changed_after_signing(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var _ = app;
        var alice = peer.AddActor("alice");
        var follow = Follow(alice, ShopActor);
        var tampered = Follow(alice, "http://localhost/actors/someone-else");

        foreach (var rfc9421 in new[] { false, true })
        {
            using var response = await PostSignedAsync(app.CreateClient(), "/actors/demo/inbox", alice, follow, rfc9421,
                afterSigning: r => r.Content = new StringContent(tampered.ToJsonString(), Encoding.UTF8, "application/activity+json"));
            await Asserts.ProblemAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
        }
        Assert.Equal(0, await StoredActivitiesAsync(app));
    }

    [Fact]
    public async Task Inbox_refuses_a_post_signed_by_someone_other_than_its_actor()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var alice = peer.AddActor("alice");
        var mallory = peer.AddActor("mallory");

        // Mallory's own valid signature, on an activity claiming to be alice's.
        using var response = await PostSignedAsync(app.CreateClient(), "/actors/demo/inbox", mallory, Follow(alice, ShopActor));

        await Asserts.ProblemAsync(response, HttpStatusCode.Unauthorized, "signer-not-actor");
        Assert.Equal(0, await StoredActivitiesAsync(app));
    }

    [Fact]
    public async Task Inbox_refuses_a_signature_made_two_hours_ago()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var alice = peer.AddActor("alice");
        var twoHoursAgo = new TestClock(DateTimeOffset.UtcNow.AddHours(-2));

        using var response = await PostSignedAsync(app.CreateClient(), "/actors/demo/inbox", alice, Follow(alice, ShopActor), clock: twoHoursAgo);

        await Asserts.ProblemAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
    }

    [Fact]
    public async Task Inbox_refuses_activities_from_a_blocked_domain_without_fetching_anything()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var spammer = peer.AddActor("spammer", host: "spam.peer.example");
        await app.WithDb(null, async db =>
        {
            db.BlockedDomains.Add(new BlockedDomain { Domain = "peer.example", BlockedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        using var response = await PostSignedAsync(app.CreateClient(), "/inbox", spammer, Follow(spammer, ShopActor));

        await Asserts.ProblemAsync(response, HttpStatusCode.Forbidden, "blocked");
        Assert.Empty(peer.Fetches);
        Assert.Equal(0, await StoredActivitiesAsync(app));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_same_activity_delivered_twice_is_stored_and_acted_on_once(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var _ = app;
        var client = app.CreateClient();
        var alice = peer.AddActor("alice");
        var follow = Follow(alice, ShopActor);

        using var first = await PostSignedAsync(client, "/actors/demo/inbox", alice, follow);
        using var second = await PostSignedAsync(client, "/inbox", alice, follow);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(alice.Inbox).Any(), "the Accept is sent");
        await WaitUntilSettledAsync(app);
        Assert.Single(peer.PostsTo(alice.Inbox));
        Assert.Equal(1, await StoredActivitiesAsync(app));
    }

    [Fact]
    public async Task A_signers_key_is_fetched_once_and_then_served_from_the_cache()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var client = app.CreateClient();
        var alice = peer.AddActor("alice");

        for (var i = 0; i < 3; i++)
        {
            using var response = await PostSignedAsync(client, "/inbox", alice, Like(alice, "http://localhost/actors/demo/notes/1"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Single(peer.Fetches, f => f.ToString().StartsWith(alice.Id, StringComparison.Ordinal));
        Assert.Equal(3, await StoredActivitiesAsync(app));
    }

    [Fact]
    public async Task A_Delete_from_an_account_gone_with_its_key_is_accepted_and_ignored()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var ghost = new FakePeer.PeerActor("https://peer.example/users/ghost", Plaza.Federation.Signatures.RsaKeyPair.Generate(), "https://peer.example/users/ghost/inbox", null);
        var delete = Like(ghost, ghost.Id);
        delete["type"] = "Delete";

        using var response = await PostSignedAsync(app.CreateClient(), "/inbox", ghost, delete);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, await StoredActivitiesAsync(app));
        // Any other activity whose key cannot be found is refused.
        await Asserts.ProblemAsync(await PostSignedAsync(app.CreateClient(), "/inbox", ghost, Like(ghost, ShopActor)), HttpStatusCode.Unauthorized, "bad-signature");
    }

    [Fact]
    public async Task A_signer_who_rotated_its_key_is_verified_after_one_fresh_fetch()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var client = app.CreateClient();
        var alice = peer.AddActor("alice");
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(client, "/inbox", alice, Like(alice, ShopActor))).StatusCode);

        var rotated = peer.RotateKey(alice);
        using var response = await PostSignedAsync(client, "/inbox", rotated, Like(rotated, ShopActor));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, peer.Fetches.Count(f => f.ToString().StartsWith(alice.Id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Inbox_refuses_a_key_whose_actor_document_claims_another_id()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var alice = peer.AddActor("alice");
        var eve = peer.AddImpostor("eve", claimed: alice);

        using var response = await PostSignedAsync(app.CreateClient(), "/inbox", eve, Follow(eve, ShopActor));

        await Asserts.ProblemAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
        Assert.False(await app.WithDb(null, db => db.RemoteActors.AnyAsync(a => a.ActorId == alice.Id)));
    }

    [Fact]
    public async Task Signatures_are_checked_against_the_public_url_not_the_requests_host_or_scheme()
    {
        // Behind a TLS proxy: the peer signs for https://localhost/… (RFC 9421 signs the scheme), the proxy forwards plain HTTP.
        static Task<HttpResponseMessage> SignedForAsync(PlazaApp app, PeerActor signer, string target, string likes) =>
            PostSignedAsync(app.CreateClient(), target, signer, Like(signer, likes), rfc9421: true,
                afterSigning: r => r.RequestUri = new Uri("http://localhost/actors/demo/inbox"));

        FakePeer? peer = null;
        await using var behindTls = await PlazaApp.StartAsync(Store.Sqlite, configure: a =>
        {
            peer = FakePeer.For(a);
            a.Settings["Plaza:PublicUrl"] = "https://localhost";
        });
        var alice = peer!.AddActor("alice");
        Assert.Equal(HttpStatusCode.Accepted,
            (await SignedForAsync(behindTls, alice, "https://localhost/actors/demo/inbox", "https://localhost/actors/demo")).StatusCode);

        // A request signed for another server (its own Host header included) can't be replayed here.
        var replayed = await PostSignedAsync(behindTls.CreateClient(), "http://other.example/actors/demo/inbox", alice,
            Like(alice, "https://localhost/actors/demo"));
        await Asserts.ProblemAsync(replayed, HttpStatusCode.Unauthorized, "bad-signature");

        var (plain, plainPeer) = await StartAsync(Store.Sqlite);
        await using (plain)
        {
            var bob = plainPeer.AddActor("bob");
            await Asserts.ProblemAsync(await SignedForAsync(plain, bob, "https://localhost/actors/demo/inbox", ShopActor),
                HttpStatusCode.Unauthorized, "bad-signature");
        }
    }

    private static Task<int> StoredActivitiesAsync(PlazaApp app) => app.WithDb(null, db => db.InboxActivities.CountAsync());
}
