using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Follows;
using Plaza.Features.Ordering;
using Plaza.Federation.ActivityStreams;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Promotions;

/// <summary>Shop links: a shop re-shares (Announce) another shop's post to its own followers.</summary>
public sealed class BoostTests
{
    private static JsonObject Note(PeerActor author, string? attributedTo = null, bool isPublic = true) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{author.Id}/notes/{Guid.NewGuid():N}",
        ["type"] = "Note",
        ["attributedTo"] = attributedTo ?? author.Id,
        ["content"] = "<p>Dumplings half price</p>",
        ["to"] = new JsonArray(isPublic ? ActivityStreamsJson.PublicAudience : author.Id + "/followers"),
    };

    private static async Task<(PlazaApp App, FakePeer Peer, HttpClient Staff)> StartAsync(Store store)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, configure: a =>
        {
            peer = For(a);
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
        });
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        return (app, peer!, app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner)));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_boost_reaches_the_shops_followers_and_the_author_once_and_can_be_taken_back(Store store)
    {
        var (app, peer, staff) = await StartAsync(store);
        await using var _ = app;
        var noodles = peer.AddActor("noodles");
        var carol = peer.AddActor("carol", host: "small.example", sharedInbox: false);
        var post = Note(noodles);
        peer.Publish(post);
        await app.WithDb(null, async db =>
        {
            var shop = await db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug);
            db.Followers.Add(new Follower { ShopId = shop.Id, ActorId = carol.Id, Inbox = carol.Inbox, FollowedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        using var boosted = await staff.PostAsJsonAsync("/api/v1/shops/demo/boosts", new { @object = post["id"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.Accepted, boosted.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(carol.Inbox).Any() && peer.PostsTo("https://peer.example/inbox").Any(), "the follower and the author receive the boost");
        var announce = peer.PostsTo(carol.Inbox).Single();
        Assert.Equal("Announce", announce.Json["type"]!.GetValue<string>());
        Assert.Equal(post["id"]!.GetValue<string>(), announce.Json["object"]!.GetValue<string>());
        Assert.Equal("http://localhost/actors/demo", announce.Json["actor"]!.GetValue<string>());
        await FederationAsserts.SignedByShopAsync(app.CreateClient(), announce);

        // Boosting the same post again changes nothing.
        using var again = await staff.PostAsJsonAsync("/api/v1/shops/demo/boosts", new { @object = post["id"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var list = await staff.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/shops/demo/boosts");
        var id = Assert.Single(list.EnumerateArray()).GetProperty("id").GetInt64();

        using var undone = await staff.DeleteAsync($"/api/v1/shops/demo/boosts/{id}");
        Assert.Equal(HttpStatusCode.NoContent, undone.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(carol.Inbox).Count() == 2, "the follower receives the Undo");
        var undo = peer.PostsTo(carol.Inbox).Last().Json;
        Assert.Equal("Undo", undo["type"]!.GetValue<string>());
        Assert.Equal(announce.Json["id"]!.GetValue<string>(), undo["object"]!["id"]!.GetValue<string>());
        Assert.Single(peer.PostsTo(carol.Inbox), r => r.Json["type"]!.GetValue<string>() == "Announce");
    }

    [Fact]
    public async Task A_shop_cannot_boost_a_followers_only_post_or_one_attributed_to_another_server()
    {
        var (app, peer, staff) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var noodles = peer.AddActor("noodles");
        var privatePost = Note(noodles, isPublic: false);
        var forged = Note(noodles, attributedTo: "https://other.example/users/victim");
        peer.Publish(privatePost);
        peer.Publish(forged);

        foreach (var post in new[] { privatePost, forged })
        {
            using var response = await staff.PostAsJsonAsync("/api/v1/shops/demo/boosts", new { @object = post["id"]!.GetValue<string>() });
            Asserts.HasFieldError(await Asserts.ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request"), "object");
        }
        Assert.Equal(0, await app.WithDb(null, db => db.Deliveries.IgnoreQueryFilters().CountAsync()));
    }
}
