using System.Text.Json;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Federation.Tests.ActivityStreams;

/// <summary>The same property written as a string, an object or an array of either.</summary>
public sealed class PropertyShapeTests
{
    [Fact]
    public void Audience_may_be_a_string_or_an_array()
    {
        var single = ActivityStreamsJson.Parse("""{"type":"Note","to":"https://www.w3.org/ns/activitystreams#Public"}""");
        var many = ActivityStreamsJson.Parse("""{"type":"Note","to":["https://a.example/1","https://a.example/2"]}""");

        Assert.Equal("https://www.w3.org/ns/activitystreams#Public", Assert.Single(single.To!).Id);
        Assert.False(single.To!.IsArray);
        Assert.Equal(["https://a.example/1", "https://a.example/2"], many.To!.Select(item => item.Id));
        Assert.True(many.To!.IsArray);
    }

    [Fact]
    public void Actor_may_be_an_iri_an_object_or_an_array()
    {
        var iri = Assert.IsType<Activity>(ActivityStreamsJson.Parse("""{"type":"Like","actor":"https://a.example/u/1"}"""));
        var embedded = Assert.IsType<Activity>(ActivityStreamsJson.Parse(
            """{"type":"Like","actor":{"id":"https://a.example/u/1","type":"Person","preferredUsername":"one"}}"""));
        var array = Assert.IsType<Activity>(ActivityStreamsJson.Parse(
            """{"type":"Like","actor":["https://a.example/u/1",{"id":"https://a.example/u/2","type":"Service"}]}"""));

        Assert.Equal("https://a.example/u/1", iri.Actor?.First?.Id);
        Assert.Equal("one", embedded.Actor?.First?.As<Actor>()?.PreferredUsername);
        Assert.Equal(["https://a.example/u/1", "https://a.example/u/2"], array.Actor!.Select(actor => actor.Id));
        Assert.IsType<Actor>(array.Actor![1].Embedded);
    }

    [Fact]
    public void Public_key_may_be_an_object_an_iri_or_an_array_and_its_owner_an_object()
    {
        var embedded = Assert.IsType<Actor>(ActivityStreamsJson.Parse(
            """{"id":"https://a.example/u/1","type":"Person","publicKey":{"id":"https://a.example/u/1/main-key","owner":{"id":"https://a.example/u/1"},"publicKeyPem":"PEM"}}"""));
        var reference = Assert.IsType<Actor>(ActivityStreamsJson.Parse(
            """{"id":"https://a.example/u/1","type":"Service","publicKey":"https://a.example/u/1/publickey"}"""));
        var several = Assert.IsType<Actor>(ActivityStreamsJson.Parse(
            """{"id":"https://a.example/u/1","type":"Person","publicKey":["https://a.example/u/1/ed25519",{"id":"https://a.example/u/1#main-key","publicKeyPem":"PEM"}]}"""));

        var key = Assert.Single(embedded.PublicKey!);
        Assert.Equal(("https://a.example/u/1/main-key", "https://a.example/u/1", "PEM"), (key.Id, key.Owner, key.PublicKeyPem));
        Assert.Equal("https://a.example/u/1/publickey", Assert.Single(reference.PublicKey!).Id);
        Assert.Null(reference.PublicKey!.First!.PublicKeyPem);
        Assert.Equal(["https://a.example/u/1/ed25519", "https://a.example/u/1#main-key"], several.PublicKey!.Select(k => k.Id));
    }

    [Fact]
    public void Object_of_an_undo_is_the_embedded_activity()
    {
        var undo = Assert.IsType<Activity>(ActivityStreamsJson.Parse(
            """{"type":"Undo","actor":"https://a.example/u/1","object":{"id":"https://a.example/f/9","type":"Follow","actor":"https://a.example/u/1","object":"https://shop.example/actors/bakery"}}"""));

        var follow = undo.Object?.First?.As<Activity>();

        Assert.NotNull(follow);
        Assert.True(follow.IsOfType("Follow"));
        Assert.Equal("https://shop.example/actors/bakery", follow.Object?.First?.Id);
    }

    [Fact]
    public void Type_may_be_an_array_and_the_known_one_decides_the_class()
    {
        var parsed = ActivityStreamsJson.Parse("""{"type":["foo:Shop","Organization"],"preferredUsername":"bakery"}""");

        var actor = Assert.IsType<Actor>(parsed);
        Assert.True(actor.IsOfType("Organization"));
        Assert.True(actor.IsOfType("foo:Shop"));
        Assert.Equal("bakery", actor.PreferredUsername);
    }

    [Fact]
    public void Icon_tag_and_attachment_may_be_a_single_object()
    {
        var parsed = ActivityStreamsJson.Parse(
            """{"type":"Note","icon":{"type":"Image","url":"https://a.example/i.png"},"tag":{"type":"Hashtag","href":"https://a.example/tags/bread","name":"#bread"},"attachment":{"type":"Document","url":"https://a.example/d.jpg"}}""");

        Assert.Equal("https://a.example/i.png", Assert.Single(parsed.Icon!).Embedded?.Url?.First?.Href);
        Assert.Equal("#bread", Assert.Single(parsed.Tag!).As<Link>()?.Name);
        Assert.Equal("https://a.example/d.jpg", Assert.Single(parsed.Attachment!).Embedded?.Url?.First?.Href);
    }

    [Fact]
    public void Url_may_be_a_link_object()
    {
        var parsed = ActivityStreamsJson.Parse(
            """{"type":"Video","url":[{"type":"Link","mediaType":"text/html","href":"https://v.example/w/1"},{"type":"Link","mediaType":"video/mp4","href":"https://v.example/1.mp4"}]}""");

        Assert.Equal(["https://v.example/w/1", "https://v.example/1.mp4"], parsed.Url!.Select(url => url.Href));
    }

    [Fact]
    public void Unexpected_shapes_are_tolerated_rather_than_failing_the_document()
    {
        var parsed = Assert.IsType<Actor>(ActivityStreamsJson.Parse(
            """
            {
              "type": "Person",
              "name": ["not", "a", "string"],
              "published": "last tuesday",
              "manuallyApprovesFollowers": "false",
              "publicKey": [{"id": "https://a.example/u/1#main-key", "owner": "https://a.example/u/1", "publicKeyPem": "pem"}],
              "location": "https://places.example/1",
              "to": [null, "https://a.example/u/2", 7],
              "inReplyTo": ["https://a.example/n/1", "https://a.example/n/2"],
              "totalItems": "12",
              "someExtension": {"x": 1}
            }
            """));

        Assert.Null(parsed.Name);
        Assert.Null(parsed.Published);
        Assert.False(parsed.ManuallyApprovesFollowers);
        Assert.Equal("https://a.example/u/1#main-key", parsed.PublicKey?.First?.Id);
        Assert.Null(parsed.Location);
        Assert.Equal(["https://a.example/u/2"], parsed.To!.Select(item => item.Id));
        Assert.Equal("https://a.example/n/1", parsed.InReplyTo?.Id);
        Assert.True(parsed.ExtensionData?.ContainsKey("someExtension"));
    }

    [Fact]
    public void Collection_pages_parse_with_their_items()
    {
        var page = Assert.IsType<OrderedCollectionPage>(ActivityStreamsJson.Parse(
            """{"id":"https://a.example/outbox?page=1","type":"OrderedCollectionPage","totalItems":"2","partOf":"https://a.example/outbox","next":"https://a.example/outbox?page=2","orderedItems":["https://a.example/1",{"id":"https://a.example/2","type":"Announce"}]}"""));

        Assert.Equal(2, page.TotalItems);
        Assert.Equal("https://a.example/outbox", page.PartOf?.Id);
        Assert.Equal("https://a.example/outbox?page=2", page.Next?.Id);
        Assert.IsType<Activity>(page.OrderedItems![1].Embedded);
    }

    [Fact]
    public void Place_keeps_latitude_and_longitude()
    {
        var actor = Assert.IsType<Actor>(ActivityStreamsJson.Parse(
            """{"type":"Organization","location":{"type":"Place","name":"Market Street 4","latitude":52.3731,"longitude":4.8922}}"""));

        Assert.Equal(52.3731, actor.Location?.Latitude);
        Assert.Equal(4.8922, actor.Location?.Longitude);
        Assert.Equal("Market Street 4", actor.Location?.Name);
    }

    [Fact]
    public void Non_object_document_is_rejected_with_a_json_exception()
    {
        Assert.Throws<JsonException>(() => ActivityStreamsJson.Parse("""["not", "an", "object"]"""));
    }
}
