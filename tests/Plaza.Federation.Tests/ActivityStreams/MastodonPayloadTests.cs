using Plaza.Federation.ActivityStreams;
using Plaza.Federation.Signatures;

namespace Plaza.Federation.Tests.ActivityStreams;

/// <summary>Parsing payloads shaped like the ones Mastodon sends (fixtures in Fixtures/).</summary>
public sealed class MastodonPayloadTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void Mastodon_actor_parses_as_an_actor_with_its_key_endpoints_and_fields()
    {
        var actor = Assert.IsType<Actor>(ActivityStreamsJson.Parse(Fixture("mastodon-actor.json")));

        Assert.Equal("https://social.example/users/marta", actor.Id);
        Assert.True(actor.IsOfType("Person"));
        Assert.Equal("marta", actor.PreferredUsername);
        Assert.Equal("https://social.example/users/marta/inbox", actor.Inbox);
        Assert.Equal("https://social.example/users/marta/outbox", actor.Outbox);
        Assert.Equal("https://social.example/users/marta/followers", actor.Followers);
        Assert.Equal("https://social.example/users/marta/following", actor.Following);
        Assert.Equal("https://social.example/inbox", actor.Endpoints?.SharedInbox);
        Assert.False(actor.ManuallyApprovesFollowers);
        Assert.True(actor.Discoverable);
        Assert.Equal(new DateTimeOffset(2022, 11, 3, 0, 0, 0, TimeSpan.Zero), actor.Published);
        Assert.Equal("https://social.example/@marta", actor.Url?.First?.Href);

        Assert.Equal("https://social.example/users/marta#main-key", actor.PublicKey?.First?.Id);
        Assert.Equal("https://social.example/users/marta", actor.PublicKey?.First?.Owner);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", actor.PublicKey?.First?.PublicKeyPem, StringComparison.Ordinal);

        var fields = actor.Attachment!.Select(item => Assert.IsType<PropertyValue>(item.Embedded)).ToList();
        Assert.Equal(["Website", "Pronouns"], fields.Select(field => field.Name));
        Assert.Equal("she/her", fields[1].Value);

        var avatar = actor.Icon?.First?.Embedded;
        Assert.Equal("image/jpeg", avatar?.MediaType);
        Assert.EndsWith("avatar.jpg", avatar?.Url?.First?.Href, StringComparison.Ordinal);

        // Properties this library does not model are kept.
        Assert.True(actor.ExtensionData?.ContainsKey("featured"));
        Assert.True(actor.ExtensionData?.ContainsKey("indexable"));
    }

    [Fact]
    public void Mastodon_create_note_parses_with_its_embedded_note()
    {
        var create = Assert.IsType<Activity>(ActivityStreamsJson.Parse(Fixture("mastodon-create-note.json")));

        Assert.True(create.IsOfType("Create"));
        Assert.Equal("https://social.example/users/marta", create.Actor?.First?.Id);
        Assert.True(create.Actor?.First?.IsIri);
        Assert.True(ActivityStreamsJson.IsPublic(create.To?.Single().Id));
        Assert.Equal(2, create.Cc?.Count);

        var note = create.Object?.First?.Embedded;
        Assert.NotNull(note);
        Assert.True(note.IsOfType("Note"));
        Assert.Equal("https://social.example/users/marta/statuses/113245470158012345", create.Object?.First?.Id);
        Assert.Equal("https://shop.example/actors/bakery/notes/42", note.InReplyTo?.Id);
        Assert.Contains("rye loaf", note.Content, StringComparison.Ordinal);
        Assert.Null(note.Summary);

        var image = Assert.Single(note.Attachment!).Embedded;
        Assert.Equal(1600, image?.Width);
        Assert.Equal("A dark rye loaf on a wooden board", image?.Name);

        var tags = note.Tag!.Select(tag => Assert.IsType<Link>(tag.Embedded)).ToList();
        Assert.Equal(["Mention", "Hashtag"], tags.Select(tag => tag.Type!.Single()));
        Assert.Equal("https://shop.example/actors/bakery", tags[0].Href);

        var replies = Assert.IsType<Collection>(ActivityStreamsTypes.Deserialize(note.ExtensionData!["replies"], ActivityStreamsJson.Options));
        Assert.IsType<CollectionPage>(replies.First?.Embedded);
    }

    [Fact]
    public void Signer_of_the_create_is_its_actor()
    {
        var create = Assert.IsType<Activity>(ActivityStreamsJson.Parse(Fixture("mastodon-create-note.json")));

        var actor = Assert.IsType<Actor>(ActivityStreamsJson.Parse(Fixture("mastodon-actor.json")));
        var key = SignerIdentity.PublishedKey(actor, "https://social.example/users/marta#main-key");

        Assert.True(SignerIdentity.IsActor(key!.Id!, create.Actor!.First!.Id!, actor.Id));
    }

    [Fact]
    public void Mastodon_payload_survives_a_round_trip()
    {
        var json = Fixture("mastodon-create-note.json");
        var create = ActivityStreamsJson.Parse(json);

        var again = Assert.IsType<Activity>(ActivityStreamsJson.Parse(ActivityStreamsJson.Serialize(create)));

        Assert.Equal(create.Id, again.Id);
        Assert.True(again.Object?.First?.Embedded?.ExtensionData?.ContainsKey("contentMap"));
        Assert.True(again.ExtensionData?.ContainsKey("signature"));
        Assert.True(again.To?.IsArray);
    }
}
