using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;
using Plaza.Features.Follows;
using Plaza.Federation.Signatures;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Federation;

/// <summary>The inbox is open to anyone who can sign: it must not amplify their requests or store whatever they send.</summary>
public sealed class InboxBoundsTests
{
    private const string ShopActor = "http://localhost/actors/demo";

    private static async Task<(PlazaApp App, FakePeer Peer)> StartAsync(params (string Key, string Value)[] settings)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a =>
        {
            peer = FakePeer.For(a);
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
            foreach (var (key, value) in settings)
            {
                a.Settings[key] = value;
            }
        });
        return (app, peer!);
    }

    private static Task<int> StoredAsync(PlazaApp app) => app.WithDb(null, db => db.InboxActivities.CountAsync());

    [Fact]
    public async Task A_post_carrying_many_signatures_costs_at_most_one_key_fetch()
    {
        var (app, peer) = await StartAsync();
        await using var _ = app;
        var alice = peer.AddActor("alice");
        var others = Enumerable.Range(1, 4).Select(i => peer.AddActor($"other{i}")).ToList();

        // Alice's valid RFC 9421 signature comes last, behind four labels naming other accounts' keys.
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/actors/demo/inbox")
        {
            Content = new StringContent(Like(alice, ShopActor).ToJsonString(), Encoding.UTF8, "application/activity+json"),
        };
        await Rfc9421Signature.SignAsync(request, alice.SigningKey, TimeProvider.System);
        var input = request.Headers.GetValues("Signature-Input").Single();
        var signature = request.Headers.GetValues("Signature").Single();
        var (label, parameters) = (input[..input.IndexOf('=', StringComparison.Ordinal)], input[(input.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var value = signature[(signature.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var decoys = others.Select((o, i) => (Label: $"decoy{i}", Input: parameters.Replace(alice.SigningKey.KeyId, o.SigningKey.KeyId, StringComparison.Ordinal))).ToList();
        request.Headers.Remove("Signature-Input");
        request.Headers.Remove("Signature");
        request.Headers.TryAddWithoutValidation("Signature-Input", string.Join(", ", decoys.Select(d => $"{d.Label}={d.Input}").Append($"{label}={parameters}")));
        request.Headers.TryAddWithoutValidation("Signature", string.Join(", ", decoys.Select(d => $"{d.Label}={value}").Append($"{label}={value}")));

        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(peer.Fetches);
        Assert.Equal(0, await StoredAsync(app));
    }

    [Fact]
    public async Task The_inbox_limits_each_client_address_per_minute()
    {
        var (app, peer) = await StartAsync(("Plaza:Federation:InboxPerAddressPerMinute", "3"));
        await using var _ = app;
        var alice = peer.AddActor("alice");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", alice, Like(alice, ShopActor))).StatusCode);
        }
        using var limited = await PostSignedAsync(app.CreateClient(), "/inbox", alice, Like(alice, ShopActor));

        await Asserts.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(3, await StoredAsync(app));
    }

    [Fact]
    public async Task The_inbox_limits_requests_signed_by_one_servers_keys_without_affecting_other_servers()
    {
        var (app, peer) = await StartAsync(("Plaza:Federation:InboxPerKeyHostPerMinute", "2"));
        await using var _ = app;
        var alice = peer.AddActor("alice");
        var bob = peer.AddActor("bob");
        var carol = peer.AddActor("carol", host: "elsewhere.example");

        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", alice, Like(alice, ShopActor))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", bob, Like(bob, ShopActor))).StatusCode);
        await Asserts.ProblemAsync(await PostSignedAsync(app.CreateClient(), "/inbox", alice, Like(alice, ShopActor)), HttpStatusCode.TooManyRequests, "rate-limited");

        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", carol, Like(carol, ShopActor))).StatusCode);
        Assert.Equal(3, await StoredAsync(app));
    }

    [Fact]
    public async Task Activities_that_concern_nobody_here_are_acknowledged_but_not_kept()
    {
        var (app, peer) = await StartAsync();
        await using var _ = app;
        var stranger = peer.AddActor("stranger");
        var followed = peer.AddActor("followed");
        await app.WithDb(null, async db =>
        {
            var shop = await db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug);
            db.Followings.Add(new Following { ShopId = shop.Id, ActorId = followed.Id, FollowActivityId = $"{ShopActor}/follows/1", Accepted = true });
            return await db.SaveChangesAsync();
        });

        static System.Text.Json.Nodes.JsonObject PublicPost(PeerActor author) => new()
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{author.Id}/notes/{Guid.NewGuid():N}/activity",
            ["type"] = "Create",
            ["actor"] = author.Id,
            ["to"] = new System.Text.Json.Nodes.JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            ["object"] = new System.Text.Json.Nodes.JsonObject { ["id"] = $"{author.Id}/notes/{Guid.NewGuid():N}", ["type"] = "Note", ["content"] = "hello" },
        };

        var spam = PublicPost(stranger);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", stranger, spam)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", stranger, Like(stranger, ShopActor))).StatusCode);
        var post = PublicPost(followed);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", followed, post)).StatusCode);

        var kept = await app.WithDb(null, db => db.InboxActivities.Select(a => a.ActivityId).ToListAsync());
        Assert.DoesNotContain(spam["id"]!.GetValue<string>(), kept);
        Assert.Contains(post["id"]!.GetValue<string>(), kept);
        Assert.Equal(2, kept.Count);
    }

    [Fact]
    public async Task One_account_and_one_server_store_at_most_their_daily_share()
    {
        var (app, peer) = await StartAsync(("Plaza:Federation:InboxPerActorPerDay", "2"), ("Plaza:Federation:InboxPerHostPerDay", "3"));
        await using var _ = app;
        var alice = peer.AddActor("alice");
        var bob = peer.AddActor("bob");
        var carol = peer.AddActor("carol", host: "elsewhere.example");

        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", alice, Like(alice, ShopActor))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", alice, Like(alice, ShopActor))).StatusCode);
        var full = await PostSignedAsync(app.CreateClient(), "/inbox", alice, Like(alice, ShopActor));
        await Asserts.ProblemAsync(full, HttpStatusCode.TooManyRequests, "inbox-share-used");
        Assert.NotNull(full.Headers.RetryAfter);

        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", bob, Like(bob, ShopActor))).StatusCode);
        await Asserts.ProblemAsync(await PostSignedAsync(app.CreateClient(), "/inbox", bob, Like(bob, ShopActor)), HttpStatusCode.TooManyRequests, "inbox-share-used");
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", carol, Like(carol, ShopActor))).StatusCode);
        Assert.Equal(4, await StoredAsync(app));
    }

    [Fact]
    public async Task Processed_activities_are_pruned_after_the_retention_period_and_unprocessed_ones_are_kept()
    {
        var (app, peer) = await StartAsync(("Plaza:Federation:InboxRetention", "00:00:02"));
        await using var _ = app;
        var alice = peer.AddActor("alice");
        var like = Like(alice, ShopActor);
        // Claimed by another process that has not finished it: not processed, so never pruned.
        await app.WithDb(null, async db =>
        {
            db.InboxActivities.Add(new InboxActivity
            {
                ActivityId = alice.Id + "/likes/in-progress",
                ActorId = alice.Id,
                Type = "Like",
                Payload = Like(alice, ShopActor).ToJsonString(),
                ReceivedAt = DateTime.UtcNow.AddDays(-1),
                LeaseOwner = Guid.NewGuid(),
                LeaseUntil = DateTime.UtcNow.AddHours(1),
            });
            return await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", alice, like)).StatusCode);
        var id = like["id"]!.GetValue<string>();
        await WaitUntilAsync(() => app.WithDb(null, db => db.InboxActivities.AnyAsync(a => a.ActivityId == id && a.ProcessedAt != null)), "the like is processed");

        await WaitUntilAsync(() => app.WithDb(null, db => db.InboxActivities.AllAsync(a => a.ActivityId != id)), "the processed like is pruned");
        Assert.True(await app.WithDb(null, db => db.InboxActivities.AnyAsync(a => a.ActivityId == alice.Id + "/likes/in-progress")));
    }
}
