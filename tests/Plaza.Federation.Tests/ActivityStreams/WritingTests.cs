using System.Text.Json;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Federation.Tests.ActivityStreams;

/// <summary>What Plaza writes: a shop actor and a public note, as peers expect them.</summary>
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
}
