using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Federation.Tests.ActivityStreams;

/// <summary>What Plaza writes: actors, notes, activities and collections, as peers expect them.</summary>
public sealed class WritingTests
{
    private static Actor ShopActor() => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = "https://shop.example/actors/bakery",
        Type = "Organization",
        PreferredUsername = "bakery",
        Name = "Corner Bakery",
        Inbox = "https://shop.example/actors/bakery/inbox",
        Outbox = "https://shop.example/actors/bakery/outbox",
        Followers = "https://shop.example/actors/bakery/followers",
        Following = "https://shop.example/actors/bakery/following",
        Endpoints = new ActorEndpoints { SharedInbox = "https://shop.example/inbox" },
        PublicKey = new ActorPublicKey
        {
            Id = "https://shop.example/actors/bakery#main-key",
            Owner = "https://shop.example/actors/bakery",
            PublicKeyPem = "-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n",
        },
        ManuallyApprovesFollowers = false,
        Discoverable = true,
        Location = new Place { Type = "Place", Name = "Market Street 4", Latitude = 52.3731, Longitude = 4.8922 },
        Attachment = new[] { new LinkOrObject(new PropertyValue { Type = "PropertyValue", Name = "Opening hours", Value = "Tue–Sat 7–15" }) },
    };

    [Fact]
    public void Shop_actor_is_written_with_context_first_camel_case_and_no_nulls()
    {
        var json = ActivityStreamsJson.Serialize(ShopActor());
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal("@context", root.EnumerateObject().First().Name);
        Assert.Equal("https://www.w3.org/ns/activitystreams", root.GetProperty("@context")[0].GetString());
        Assert.Equal("https://w3id.org/security/v1", root.GetProperty("@context")[1].GetString());
        Assert.Equal("toot:discoverable", root.GetProperty("@context")[2].GetProperty("discoverable").GetString());
        Assert.Equal("Organization", root.GetProperty("type").GetString());
        Assert.Equal("https://shop.example/inbox", root.GetProperty("endpoints").GetProperty("sharedInbox").GetString());
        Assert.Equal("https://shop.example/actors/bakery", root.GetProperty("publicKey").GetProperty("owner").GetString());
        Assert.False(root.GetProperty("manuallyApprovesFollowers").GetBoolean());
        Assert.Equal(52.3731, root.GetProperty("location").GetProperty("latitude").GetDouble());
        Assert.Equal("Tue–Sat 7–15", root.GetProperty("attachment")[0].GetProperty("value").GetString());
        Assert.False(root.TryGetProperty("summary", out _));
        Assert.False(root.TryGetProperty("extensionData", out _));
    }

    [Fact]
    public void Public_note_is_written_with_arrays_for_to_and_cc()
    {
        var create = new Activity
        {
            Context = ActivityStreamsJson.Context,
            Id = "https://shop.example/activities/1",
            Type = "Create",
            Actor = new LinkOrObject("https://shop.example/actors/bakery"),
            To = new LinkOrObject[] { ActivityStreamsJson.PublicAudience },
            Cc = new LinkOrObject[] { "https://shop.example/actors/bakery/followers" },
            Object = new LinkOrObject(new AsObject
            {
                Id = "https://shop.example/notes/1",
                Type = "Note",
                Content = "<p>Rye is back on Saturday &amp; Sunday</p>",
                Published = new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.FromHours(1)),
            }),
        };

        using var document = JsonDocument.Parse(ActivityStreamsJson.Serialize(create));
        var root = document.RootElement;

        Assert.Equal(JsonValueKind.Array, root.GetProperty("to").ValueKind);
        Assert.Equal(ActivityStreamsJson.PublicAudience, root.GetProperty("to")[0].GetString());
        Assert.Equal("https://shop.example/actors/bakery", root.GetProperty("actor").GetString());
        Assert.Equal("2026-03-14T08:26:53Z", root.GetProperty("object").GetProperty("published").GetString());
        Assert.Contains("&amp;", root.GetProperty("object").GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Delete_carries_a_Tombstone_and_a_Tombstone_reads_back_as_one()
    {
        var delete = new Activity
        {
            Context = ActivityStreamsJson.Context,
            Id = "https://shop.example/notes/1#delete",
            Type = "Delete",
            Actor = new LinkOrObject("https://shop.example/actors/bakery"),
            Object = new LinkOrObject(new Tombstone { Id = "https://shop.example/notes/1", Type = "Tombstone" }),
        };

        var json = ActivityStreamsJson.Serialize(delete);
        using var document = JsonDocument.Parse(json);

        Assert.Equal("""{"id":"https://shop.example/notes/1","type":"Tombstone"}""", document.RootElement.GetProperty("object").GetRawText());
        var read = Assert.IsType<Activity>(ActivityStreamsJson.Parse(json));
        Assert.Equal("https://shop.example/notes/1", Assert.IsType<Tombstone>(read.Object?.First?.Embedded).Id);
    }

    [Fact]
    public void An_object_embedded_as_received_is_written_back_unchanged_but_can_be_read_like_any_other()
    {
        // What a Mastodon-like peer might send: a context of its own, a date with milliseconds, escapes,
        // a number written its own way, terms this library does not model, properties in its own order.
        const string received = """
            {"@context":["https://www.w3.org/ns/activitystreams",{"sensitive":"as:sensitive"}],"type":"Create","id":"https://peer.example/c/1",
             "actor":"https://peer.example/u/1","published":"2026-11-30T09:20:00.123Z","object":{"type":"Note","id":"https://peer.example/n/1",
             "content":"<p>a \u003C b &amp; \u00e9</p>","sensitive":false,"rating":4.50,"tag":[]}}
            """;
        var relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        var kept = LinkOrObject.AsReceived(received);
        var withoutContext = LinkOrObject.AsReceived(received, withoutContext: true);

        Assert.Equal("https://peer.example/c/1", kept.Id);
        Assert.Equal("https://peer.example/u/1", kept.As<Activity>()?.Actor?.First?.Id);
        Assert.Equal(JsonNode.Parse(received)!.ToJsonString(relaxed), JsonSerializer.Serialize(kept, ActivityStreamsJson.Options));
        var expected = JsonNode.Parse(received)!.AsObject();
        expected.Remove("@context");
        Assert.Equal(expected.ToJsonString(relaxed), JsonSerializer.Serialize(withoutContext, ActivityStreamsJson.Options));
        Assert.Throws<ArgumentException>(() => LinkOrObject.AsReceived("[1]"));
    }

    [Fact]
    public void Collections_use_the_bare_context_and_write_an_empty_page_as_an_empty_array()
    {
        var page = new OrderedCollectionPage
        {
            Context = ActivityStreamsJson.ActivityStreamsContext,
            Id = "https://shop.example/actors/bakery/followers?page=1",
            Type = "OrderedCollectionPage",
            PartOf = new LinkOrObject("https://shop.example/actors/bakery/followers"),
            OrderedItems = new OneOrMany<LinkOrObject>([]),
        };

        using var document = JsonDocument.Parse(ActivityStreamsJson.Serialize(page));
        var root = document.RootElement;

        Assert.Equal("https://www.w3.org/ns/activitystreams", root.GetProperty("@context").GetString());
        Assert.Equal("[]", root.GetProperty("orderedItems").GetRawText());
        Assert.Equal("https://shop.example/actors/bakery/followers", root.GetProperty("partOf").GetString());
        Assert.False(root.TryGetProperty("next", out _));
    }

    [Fact]
    public void An_actor_lists_its_streams()
    {
        var actor = new Actor { Id = "https://shop.example/actor", Type = "Application", Streams = new LinkOrObject[] { "https://shop.example/directory" } };

        using var document = JsonDocument.Parse(ActivityStreamsJson.Serialize(actor));

        Assert.Equal("https://shop.example/directory", document.RootElement.GetProperty("streams")[0].GetString());
        Assert.Equal("https://shop.example/directory", Assert.IsType<Actor>(ActivityStreamsJson.Parse(document.RootElement.GetRawText())).Streams?.First?.Id);
    }
}
