using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Moderation;
using Plaza.Features.Nearby;
using Plaza.Features.Ordering;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Nearby;

/// <summary>Shops this node follows on other servers join its nearby directory; a domain block takes them out.</summary>
public sealed class DirectoryTests
{
    private static JsonObject NoodleBar(string actorId) => new()
    {
        ["type"] = "Organization",
        ["name"] = "Noodle bar",
        ["summary"] = "<p>Hand-pulled noodles &amp; dumplings</p>",
        ["url"] = "https://peer.example/s/noodles",
        ["location"] = new JsonObject { ["type"] = "Place", ["latitude"] = 52.5030, ["longitude"] = 13.4250 },
        ["attachment"] = new JsonArray
        {
            new JsonObject { ["type"] = "PropertyValue", ["name"] = "Opening hours", ["value"] = "Mon 00:00–24:00; Tue 00:00–24:00; Wed 00:00–24:00; Thu 00:00–24:00; Fri 00:00–24:00; Sat 00:00–24:00; Sun 00:00–24:00 (Europe/Berlin)" },
            new JsonObject { ["type"] = "Link", ["rel"] = "payment", ["href"] = "https://peer.example/s/noodles?from=fediverse" },
        },
    };

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_followed_shop_on_another_server_is_listed_nearby_until_its_domain_is_blocked(Store store)
    {
        FakePeer? peer = null;
        await using var app = await PlazaApp.StartAsync(store, configure: a => peer = For(a));
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        var staff = app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner));
        var noodles = peer!.AddActor("noodles");
        peer.Describe(noodles, NoodleBar(noodles.Id));

        using var followed = await staff.PostAsJsonAsync("/api/v1/shops/demo/following", new { account = "noodles@peer.example" });
        Assert.Equal(HttpStatusCode.Accepted, followed.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(noodles.Inbox).Any(), "the Follow reaches the noodle bar");
        var follow = peer.PostsTo(noodles.Inbox).Single().Json;
        var accept = new JsonObject { ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = noodles.Id + "/accepts/1", ["type"] = "Accept", ["actor"] = noodles.Id, ["object"] = JsonNode.Parse(follow.ToJsonString()) };
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/actors/demo/inbox", noodles, accept)).StatusCode);

        var nearby = "/api/v1/nearby?lat=52.4990&lon=13.4180&radiusKm=3";
        JsonElement listed = default;
        await WaitUntilAsync(async () =>
        {
            var shops = await app.CreateClient().GetFromJsonAsync<JsonElement>(nearby);
            listed = shops.EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == "Noodle bar");
            return listed.ValueKind == JsonValueKind.Object;
        }, "the followed shop appears in the directory");
        Assert.Equal("https://peer.example/s/noodles?from=fediverse", listed.GetProperty("url").GetString());
        Assert.Equal("peer.example", listed.GetProperty("node").GetString());
        Assert.True(listed.GetProperty("openNow").GetBoolean());
        Assert.Equal("Hand-pulled noodles & dumplings", listed.GetProperty("summary").GetString());
        Assert.InRange(listed.GetProperty("distanceKm").GetDouble(), 0.6, 0.7); // 445 m north, 474 m east

        await app.WithDb(null, async db =>
        {
            db.BlockedDomains.Add(new BlockedDomain { Domain = "peer.example", BlockedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var after = await app.CreateClient().GetFromJsonAsync<JsonElement>(nearby);
        Assert.DoesNotContain(after.EnumerateArray(), s => s.GetProperty("name").GetString() == "Noodle bar");
    }

    [Fact]
    public void A_person_or_an_organisation_without_a_location_is_not_a_shop()
    {
        using var person = JsonDocument.Parse("""{"type":"Person","url":"https://a.example/@bob","location":{"latitude":1,"longitude":2}}""");
        using var nowhere = JsonDocument.Parse("""{"type":"Organization","url":"https://a.example/s/x"}""");

        Assert.Null(ShopDirectory.Parse(person.RootElement, "https://a.example/users/bob"));
        Assert.Null(ShopDirectory.Parse(nowhere.RootElement, "https://a.example/actors/x"));
    }

    [Fact]
    public void Hours_a_Plaza_node_publishes_are_read_back_including_ranges_past_midnight()
    {
        using var actor = JsonDocument.Parse("""
            {"type":"Organization","name":"Bar","url":"https://b.example/s/bar","location":{"type":"Place","latitude":52.5,"longitude":13.4},
             "attachment":[{"type":"PropertyValue","name":"Opening hours","value":"Fri 18:00–02:00; Sat 12:00–15:00, 18:00–02:00 (Europe/Berlin)"}]}
            """);

        var shop = ShopDirectory.Parse(actor.RootElement, "https://b.example/actors/bar")!;

        Assert.Equal("Europe/Berlin", shop.TimeZone);
        Assert.Equal([(DayOfWeek.Friday, 1080, 1560), (DayOfWeek.Saturday, 720, 900), (DayOfWeek.Saturday, 1080, 1560)],
            NearbyQuery.ParseHours(shop.OpeningHours).Select(r => (r.Day, r.Opens, r.Closes)));
    }
}
