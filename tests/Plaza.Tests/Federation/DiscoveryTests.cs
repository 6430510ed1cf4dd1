using System.Net;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Federation;

/// <summary>The tests share a node (<see cref="SharedNodes"/>) and only read it: the demo shop and the node's own documents.</summary>
public sealed class DiscoveryTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    [Fact]
    public async Task WebFinger_finds_a_shop_by_its_acct_handle_and_points_at_its_actor()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var client = app.CreateClient();

        using var response = await client.GetAsync("/.well-known/webfinger?resource=acct:demo@localhost");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jrd+json", response.Content.Headers.ContentType?.MediaType);
        var jrd = Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("acct:demo@localhost", jrd.GetProperty("subject").GetString());
        var self = jrd.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "self");
        Assert.Equal("application/activity+json", self.GetProperty("type").GetString());
        Assert.Equal("http://localhost/actors/demo", self.GetProperty("href").GetString());

        await Asserts.ProblemAsync(await client.GetAsync("/.well-known/webfinger?resource=acct:nosuchshop@localhost"), HttpStatusCode.NotFound, "not-found");
        await Asserts.ProblemAsync(await client.GetAsync("/.well-known/webfinger?resource=acct:demo@elsewhere.example"), HttpStatusCode.NotFound, "not-found");
        await Asserts.ProblemAsync(await client.GetAsync("/.well-known/webfinger"), HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task The_shop_actor_tells_peers_its_key_inboxes_location_hours_and_storefront()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var client = app.CreateClient();

        var actor = await FederationAsserts.GetActivityJsonAsync(client, "/actors/demo");
        var again = await FederationAsserts.GetActivityJsonAsync(client, "/actors/demo");

        Assert.Equal("http://localhost/actors/demo", actor.GetProperty("id").GetString());
        Assert.Equal("Organization", actor.GetProperty("type").GetString());
        Assert.Equal("demo", actor.GetProperty("preferredUsername").GetString());
        Assert.Equal("Plaza Demo Café", actor.GetProperty("name").GetString());
        Assert.Equal("http://localhost/actors/demo/inbox", actor.GetProperty("inbox").GetString());
        Assert.Equal("http://localhost/actors/demo/outbox", actor.GetProperty("outbox").GetString());
        Assert.Equal("http://localhost/actors/demo/followers", actor.GetProperty("followers").GetString());
        Assert.Equal("http://localhost/actors/demo/following", actor.GetProperty("following").GetString());
        Assert.Equal("http://localhost/inbox", actor.GetProperty("endpoints").GetProperty("sharedInbox").GetString());
        Assert.Equal("http://localhost/s/demo", actor.GetProperty("url").GetString());
        Assert.StartsWith("http://localhost/", actor.GetProperty("icon").GetProperty("url").GetString(), StringComparison.Ordinal);
        var key = actor.GetProperty("publicKey");
        Assert.Equal("http://localhost/actors/demo#main-key", key.GetProperty("id").GetString());
        Assert.Equal("http://localhost/actors/demo", key.GetProperty("owner").GetString());
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", key.GetProperty("publicKeyPem").GetString(), StringComparison.Ordinal);
        // The key is made once and kept, or every peer's cached key would break.
        Assert.Equal(key.GetProperty("publicKeyPem").GetString(), again.GetProperty("publicKey").GetProperty("publicKeyPem").GetString());
        var location = actor.GetProperty("location");
        Assert.Equal("Place", location.GetProperty("type").GetString());
        Assert.Equal(52.501, location.GetProperty("latitude").GetDouble(), 3);
        Assert.Equal(13.419, location.GetProperty("longitude").GetDouble(), 3);
        var attachments = actor.GetProperty("attachment").EnumerateArray().ToList();
        Assert.Contains(attachments, a => a.GetProperty("name").GetString() == "Opening hours" && a.GetProperty("value").GetString()!.Contains("Mon 00:00–24:00", StringComparison.Ordinal));
        Assert.Contains(attachments, a => a.GetProperty("name").GetString() == "Order online" && a.GetProperty("value").GetString()!.Contains("http://localhost/s/demo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_browser_opening_the_actor_lands_on_the_storefront()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/actors/demo");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://localhost/s/demo", response.Headers.Location?.ToString());
        await Asserts.ProblemAsync(await client.GetAsync("/actors/nosuchshop"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task NodeInfo_describes_the_node_as_plaza_speaking_activitypub()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var client = app.CreateClient();

        var links = Parse(await client.GetStringAsync("/.well-known/nodeinfo"));
        var link = links.GetProperty("links")[0];
        Assert.Equal("http://nodeinfo.diaspora.software/ns/schema/2.1", link.GetProperty("rel").GetString());
        var info = Parse(await client.GetStringAsync(new Uri(link.GetProperty("href").GetString()!).PathAndQuery));

        Assert.Equal("2.1", info.GetProperty("version").GetString());
        Assert.Equal("plaza", info.GetProperty("software").GetProperty("name").GetString());
        Assert.Equal("activitypub", info.GetProperty("protocols")[0].GetString());
        Assert.Equal(2, info.GetProperty("usage").GetProperty("users").GetProperty("total").GetInt32()); // the two demo shops
    }

    [Fact]
    public async Task The_instance_actor_publishes_the_key_the_node_signs_fetches_with()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var actor = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/actor");

        Assert.Equal("http://localhost/actor", actor.GetProperty("id").GetString());
        Assert.Equal("Application", actor.GetProperty("type").GetString());
        Assert.Equal("http://localhost/actor#main-key", actor.GetProperty("publicKey").GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_instance_actors_advertised_outbox_is_an_empty_OrderedCollection()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var client = app.CreateClient();
        var outbox = (await FederationAsserts.GetActivityJsonAsync(client, "/actor")).GetProperty("outbox").GetString()!;

        var collection = await FederationAsserts.GetActivityJsonAsync(client, new Uri(outbox).PathAndQuery);

        Assert.Equal("http://localhost/actor/outbox", outbox);
        Assert.Equal(outbox, collection.GetProperty("id").GetString());
        Assert.Equal("OrderedCollection", collection.GetProperty("type").GetString());
        Assert.Equal(0, collection.GetProperty("totalItems").GetInt32());
        Assert.Empty(collection.GetProperty("orderedItems").EnumerateArray());
    }
}
