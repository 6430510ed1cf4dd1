using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plaza.Features.Moderation;
using Plaza.Features.Nearby;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Nearby;

/// <summary>A node publishes its shop directory; another node subscribes to it and keeps its listing.</summary>
public sealed class DirectorySubscriptionTests
{
    private const string Nearby = "/api/v1/nearby?lat=52.5&lon=13.4&radiusKm=10&openOnly=false";

    private static KnownShop Known(string actorId, KnownShopSource source) => new()
    {
        ActorId = actorId,
        Domain = new Uri(actorId).Host,
        Name = actorId[(actorId.LastIndexOf('/') + 1)..],
        StorefrontUrl = actorId.Replace("/users/", "/s/", StringComparison.Ordinal),
        Latitude = 52.51,
        Longitude = 13.41,
        Source = source,
        LastSeenAt = DateTime.UtcNow,
    };

    private static async Task<(HttpStatusCode Status, JsonElement Json, string? ETag)> GetAsync(HttpClient client, string path, string? etag = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/activity+json");
        if (etag is not null)
        {
            request.Headers.IfNoneMatch.ParseAdd(etag);
        }
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone(), response.Headers.ETag?.ToString());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_node_publishes_its_own_shops_and_those_it_knows_first_hand_as_a_paged_directory_with_an_ETag(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        await app.WithDb(null, async db =>
        {
            db.KnownShops.AddRange(
                Known("https://peer.example/users/followed", KnownShopSource.Followed),
                Known("https://peer.example/users/shared", KnownShopSource.Shared),
                Known("https://far.example/users/second-hand", KnownShopSource.Directory),
                Known("https://peer.example/users/blocked", KnownShopSource.Followed));
            db.BlockedActors.Add(new BlockedActor { ActorId = "https://peer.example/users/blocked", BlockedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var client = app.CreateClient();

        // Found from NodeInfo's metadata and from the instance actor's streams.
        var links = await client.GetFromJsonAsync<JsonElement>("/.well-known/nodeinfo");
        var nodeInfo = await client.GetFromJsonAsync<JsonElement>(new Uri(links.GetProperty("links")[0].GetProperty("href").GetString()!).PathAndQuery);
        Assert.Equal("http://localhost/directory", nodeInfo.GetProperty("metadata").GetProperty("shopDirectory").GetString());
        var (_, instance, _) = await GetAsync(client, "/actor");
        Assert.Equal("http://localhost/directory", instance.GetProperty("streams")[0].GetString());

        var (status, root, etag) = await GetAsync(client, "/directory");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("OrderedCollection", 4, "http://localhost/directory?page=1"),
            (root.GetProperty("type").GetString(), root.GetProperty("totalItems").GetInt32(), root.GetProperty("first").GetString()));
        var (_, page, _) = await GetAsync(client, "/directory?page=1");
        var items = page.GetProperty("orderedItems").EnumerateArray().ToList();
        // The node's own two demo shops, then the shops it knows first hand (not the second-hand one, not the blocked one).
        Assert.Equal(["http://localhost/actors/demo", "http://localhost/actors/lamian", "https://peer.example/users/followed", "https://peer.example/users/shared"],
            items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal("Organization", items[2].GetProperty("type").GetString());
        Assert.Equal(52.51, items[2].GetProperty("location").GetProperty("latitude").GetDouble());
        Assert.Equal("https://peer.example/s/followed", items[2].GetProperty("url").GetString());

        // Unchanged: 304 and no body. Changed: a new ETag.
        Assert.NotNull(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(client, "/directory", etag)).Status);
        await app.WithDb(null, async db =>
        {
            db.KnownShops.Add(Known("https://peer.example/users/new", KnownShopSource.Followed));
            return await db.SaveChangesAsync();
        });
        var (changed, _, newTag) = await GetAsync(client, "/directory", etag);
        Assert.Equal(HttpStatusCode.OK, changed);
        Assert.NotEqual(etag, newTag);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_subscribed_directorys_shops_are_listed_and_dropped_when_it_stops_listing_them_and_blocked_ones_are_never_fetched(Store store)
    {
        FakePeer? peer = null;
        await using var app = await PlazaApp.StartAsync(store, configure: a => peer = FakePeer.For(a));
        var shops = new[] { ("noodles", FakePeer.Host), ("tea", "tea.example"), ("spam", "spam.example") }.Select(s =>
        {
            var actor = peer!.AddActor(s.Item1, s.Item2);
            peer.Describe(actor, new JsonObject
            {
                ["type"] = "Organization",
                ["name"] = s.Item1,
                ["url"] = $"https://{s.Item2}/s/{s.Item1}",
                ["location"] = new JsonObject { ["type"] = "Place", ["latitude"] = 52.5010, ["longitude"] = 13.4010 },
            });
            return actor.Id;
        }).ToList();
        // The directory node: NodeInfo points at its collection, whose one page lists the three, this node's own shop and junk.
        peer!.Publish(new JsonObject { ["id"] = "https://dir.example/.well-known/nodeinfo", ["links"] = new JsonArray(new JsonObject { ["rel"] = "http://nodeinfo.diaspora.software/ns/schema/2.1", ["href"] = "https://dir.example/nodeinfo/2.1" }) });
        peer.Publish(new JsonObject { ["id"] = "https://dir.example/nodeinfo/2.1", ["metadata"] = new JsonObject { ["shopDirectory"] = "https://dir.example/directory" } });
        peer.Publish(new JsonObject { ["id"] = "https://dir.example/directory", ["type"] = "OrderedCollection", ["first"] = "https://dir.example/directory?page=1" });
        void List(params string[] ids) => peer.Publish(new JsonObject
        {
            ["id"] = "https://dir.example/directory?page=1",
            ["type"] = "OrderedCollectionPage",
            ["orderedItems"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject { ["type"] = "Organization", ["id"] = id }), JsonValue.Create("javascript:alert(1)")]),
        });
        List([.. shops, "http://localhost/actors/demo"]);
        await app.WithDb(null, async db =>
        {
            db.BlockedDomains.Add(new BlockedDomain { Domain = "spam.example", BlockedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var output = new StringWriter();

        Assert.Equal(0, await DirectoryCommands.RunAsync(app.Services, "subscribe-directory", ["https://dir.example/"], output, output));
        var refresh = app.Services.GetServices<IHostedService>().OfType<DirectoryRefresh>().Single();
        Assert.Equal(1, await refresh.PullDirectoriesAsync(CancellationToken.None));

        var known = await app.WithDb(null, db => db.KnownShops.AsNoTracking().OrderBy(s => s.Name).ToListAsync());
        Assert.Equal(["noodles", "tea"], known.Select(s => s.Name));
        Assert.All(known, s => Assert.Equal(KnownShopSource.Directory, s.Source));
        Assert.All(known, s => Assert.NotNull(s.SubscriptionId));
        Assert.DoesNotContain(peer.Fetches, u => u.Host == "spam.example");
        var nearby = await app.CreateClient().GetFromJsonAsync<JsonElement>(Nearby);
        Assert.Equal(["noodles", "tea"], nearby.EnumerateArray().Where(s => !s.GetProperty("local").GetBoolean()).Select(s => s.GetProperty("name").GetString()).Order());
        Assert.Equal(0, await DirectoryCommands.RunAsync(app.Services, "directories", [], output, output));
        Assert.Contains("https://dir.example\tcommand\thttps://dir.example/directory\tlisted 4\tknown 2\tread ", output.ToString(), StringComparison.Ordinal);

        // The directory stops listing the tea house: it leaves this node's directory at the next pull.
        List(shops[0], shops[2]);
        await app.WithDb(null, db => db.DirectorySubscriptions.ExecuteUpdateAsync(s => s.SetProperty(d => d.LastPulledAt, DateTime.UtcNow.AddDays(-1))));
        Assert.Equal(1, await refresh.PullDirectoriesAsync(CancellationToken.None));
        Assert.Equal(["noodles"], await app.WithDb(null, db => db.KnownShops.Select(s => s.Name).ToListAsync()));

        // A directory that is down keeps its entries; unsubscribing removes them.
        peer.FetchStatus = uri => uri.Host == "dir.example" ? HttpStatusCode.ServiceUnavailable : null;
        await app.WithDb(null, db => db.DirectorySubscriptions.ExecuteUpdateAsync(s => s.SetProperty(d => d.LastPulledAt, DateTime.UtcNow.AddDays(-1))));
        Assert.Equal(1, await refresh.PullDirectoriesAsync(CancellationToken.None));
        Assert.Equal(["noodles"], await app.WithDb(null, db => db.KnownShops.Select(s => s.Name).ToListAsync()));
        Assert.Equal(0, await DirectoryCommands.RunAsync(app.Services, "unsubscribe-directory", ["https://dir.example"], output, output));
        Assert.Empty(await app.WithDb(null, db => db.KnownShops.ToListAsync()));
        Assert.Empty(await app.WithDb(null, db => db.DirectorySubscriptions.ToListAsync()));
    }
}
