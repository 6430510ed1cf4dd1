using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plaza.Federation.ActivityStreams;

/// <summary>
/// An ActivityStreams 2.0 <c>Object</c> with the properties Mastodon-profile servers use.
/// Properties this type does not name are kept in <see cref="ExtensionData"/> and written back,
/// so nothing a peer sends is lost or makes parsing fail.
/// </summary>
public class AsObject
{
    /// <summary>The JSON-LD <c>@context</c>; set it to <see cref="ActivityStreamsJson.Context"/> on documents Plaza serves.</summary>
    [JsonPropertyName("@context")]
    [JsonPropertyOrder(-3)]
    public JsonElement? Context { get; set; }

    /// <summary>The object's IRI.</summary>
    [JsonPropertyOrder(-2)]
    public string? Id { get; set; }

    /// <summary>The type or types (e.g. <c>Note</c>, <c>Person</c>, or <c>["Person", "foo:Bar"]</c>).</summary>
    [JsonPropertyOrder(-1)]
    public OneOrMany<string>? Type { get; set; }

    /// <summary>A plain-text name.</summary>
    public string? Name { get; set; }

    /// <summary>A summary (HTML); Mastodon uses it as a profile bio or a content warning.</summary>
    public string? Summary { get; set; }

    /// <summary>The content (HTML).</summary>
    public string? Content { get; set; }

    /// <summary>The media type of <see cref="Content"/> or of the linked resource.</summary>
    public string? MediaType { get; set; }

    /// <summary>Where a person views the object (an IRI or <see cref="Link"/>s).</summary>
    public OneOrMany<LinkOrObject>? Url { get; set; }

    /// <summary>When the object was published.</summary>
    public DateTimeOffset? Published { get; set; }

    /// <summary>When the object was last updated.</summary>
    public DateTimeOffset? Updated { get; set; }

    /// <summary>The actor or actors the object is attributed to.</summary>
    public OneOrMany<LinkOrObject>? AttributedTo { get; set; }

    /// <summary>Primary audience; <see cref="ActivityStreamsJson.PublicAudience"/> makes it public.</summary>
    public OneOrMany<LinkOrObject>? To { get; set; }

    /// <summary>Secondary audience, typically the followers collection.</summary>
    public OneOrMany<LinkOrObject>? Cc { get; set; }

    /// <summary>The audience the object belongs to, e.g. the FEP-1b12 group it was posted to.</summary>
    public OneOrMany<LinkOrObject>? Audience { get; set; }

    /// <summary>Attachments: images, documents, <see cref="PropertyValue"/> profile fields, links.</summary>
    public OneOrMany<LinkOrObject>? Attachment { get; set; }

    /// <summary>Icon (an actor's avatar).</summary>
    public OneOrMany<LinkOrObject>? Icon { get; set; }

    /// <summary>Image (an actor's header image).</summary>
    public OneOrMany<LinkOrObject>? Image { get; set; }

    /// <summary>Tags: <c>Mention</c>, <c>Hashtag</c>, <c>Emoji</c>.</summary>
    public OneOrMany<LinkOrObject>? Tag { get; set; }

    /// <summary>The object this one replies to.</summary>
    public LinkOrObject? InReplyTo { get; set; }

    /// <summary>Width in pixels of an image or video attachment.</summary>
    public int? Width { get; set; }

    /// <summary>Height in pixels of an image or video attachment.</summary>
    public int? Height { get; set; }

    /// <summary>Properties not named above, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Whether <see cref="Type"/> includes <paramref name="typeName"/> (ordinal, as JSON-LD terms are case-sensitive).</summary>
    public bool IsOfType(string typeName) => Type?.Contains(typeName, StringComparer.Ordinal) ?? false;
}

/// <summary>An ActivityStreams <c>Activity</c>: an actor doing something to an object.</summary>
public class Activity : AsObject
{
    /// <summary>Who performs the activity; Plaza requires this to be the signer.</summary>
    public OneOrMany<LinkOrObject>? Actor { get; set; }

    /// <summary>What the activity acts on: an IRI or an embedded object (the <c>Note</c> of a <c>Create</c>, the <c>Follow</c> of an <c>Undo</c>).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the ActivityStreams property.")]
    public OneOrMany<LinkOrObject>? Object { get; set; }

    /// <summary>The target, e.g. the collection of an <c>Add</c>.</summary>
    public OneOrMany<LinkOrObject>? Target { get; set; }
}

/// <summary>An ActivityStreams actor (<c>Person</c>, <c>Service</c>, <c>Organization</c>, <c>Group</c>, <c>Application</c>).</summary>
public class Actor : AsObject
{
    /// <summary>The username part of the actor's <c>acct:</c> handle.</summary>
    public string? PreferredUsername { get; set; }

    /// <summary>The actor's inbox.</summary>
    public string? Inbox { get; set; }

    /// <summary>The actor's outbox.</summary>
    public string? Outbox { get; set; }

    /// <summary>The actor's followers collection.</summary>
    public string? Followers { get; set; }

    /// <summary>The actor's following collection.</summary>
    public string? Following { get; set; }

    /// <summary>Extra endpoints, notably the shared inbox.</summary>
    [JsonConverter(typeof(FirstObjectConverter<ActorEndpoints>))]
    public ActorEndpoints? Endpoints { get; set; }

    /// <summary>
    /// The keys the actor signs HTTP requests with (security/v1): usually one embedded object, but
    /// peers also send several, or bare key IRIs whose documents live at their own URL.
    /// </summary>
    public OneOrMany<ActorPublicKey>? PublicKey { get; set; }

    /// <summary>Whether follows wait for approval (Mastodon's "locked" account).</summary>
    public bool? ManuallyApprovesFollowers { get; set; }

    /// <summary>Whether the actor may be listed in directories (Mastodon's <c>toot:discoverable</c>).</summary>
    public bool? Discoverable { get; set; }

    /// <summary>Where the actor is; for a shop, its premises.</summary>
    [JsonConverter(typeof(FirstObjectConverter<Place>))]
    public Place? Location { get; set; }

    /// <summary>Supplementary collections of interest (AS2 <c>streams</c>), e.g. a node's shop directory.</summary>
    public OneOrMany<LinkOrObject>? Streams { get; set; }
}

/// <summary>An actor's <c>endpoints</c> object.</summary>
public class ActorEndpoints
{
    /// <summary>An inbox shared by all actors of the server, so one delivery reaches many followers.</summary>
    public string? SharedInbox { get; set; }

    /// <summary>Other endpoints, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>
/// An actor's <c>publicKey</c> (security/v1), or a key document served at its own URL
/// (GoToSocial's <c>…/main-key</c>). A bare IRI reads as a key with only its <see cref="Id"/>.
/// </summary>
[JsonConverter(typeof(ActorPublicKeyConverter))]
public class ActorPublicKey
{
    /// <summary>The key's IRI, the <c>keyId</c> of signatures (usually the actor IRI plus <c>#main-key</c>).</summary>
    public string? Id { get; set; }

    /// <summary>The actor that owns the key (sent as an IRI or as an object with an <c>id</c>).</summary>
    public string? Owner { get; set; }

    /// <summary>The public key as SPKI PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>Other properties, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An ActivityStreams <c>Place</c>.</summary>
public class Place : AsObject
{
    /// <summary>Latitude in decimal degrees.</summary>
    public double? Latitude { get; set; }

    /// <summary>Longitude in decimal degrees.</summary>
    public double? Longitude { get; set; }

    /// <summary>Altitude, in <see cref="Units"/>.</summary>
    public double? Altitude { get; set; }

    /// <summary>Radius around the point, in <see cref="Units"/>.</summary>
    public double? Radius { get; set; }

    /// <summary>Unit of <see cref="Altitude"/> and <see cref="Radius"/> (<c>m</c> by default).</summary>
    public string? Units { get; set; }
}

/// <summary>An ActivityStreams <c>Tombstone</c>: what stands at a deleted object's id (the object of a <c>Delete</c>).</summary>
public class Tombstone : AsObject
{
    /// <summary>The type the object had (e.g. <c>Note</c>).</summary>
    public OneOrMany<string>? FormerType { get; set; }

    /// <summary>When the object was deleted.</summary>
    public DateTimeOffset? Deleted { get; set; }
}

/// <summary>A schema.org <c>PropertyValue</c>: a name/value profile field as Mastodon shows it.</summary>
public class PropertyValue : AsObject
{
    /// <summary>The field's value (HTML).</summary>
    public string? Value { get; set; }
}

/// <summary>
/// An ActivityStreams <c>Link</c>, and the <c>Mention</c> and <c>Hashtag</c> links of <c>tag</c>.
/// Modelled as an <see cref="AsObject"/> so <c>url</c>, <c>tag</c> and <c>attachment</c> can hold either.
/// </summary>
public class Link : AsObject
{
    /// <summary>The target of the link.</summary>
    public string? Href { get; set; }

    /// <summary>Link relations (e.g. <c>payment</c> for an order link).</summary>
    public OneOrMany<string>? Rel { get; set; }

    /// <summary>The language of the linked resource.</summary>
    public string? Hreflang { get; set; }
}

/// <summary>An ActivityStreams <c>Collection</c>.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Named after the ActivityStreams type.")]
public class Collection : AsObject
{
    /// <summary>How many items the whole collection has.</summary>
    public int? TotalItems { get; set; }

    /// <summary>The first page.</summary>
    public LinkOrObject? First { get; set; }

    /// <summary>The last page.</summary>
    public LinkOrObject? Last { get; set; }

    /// <summary>The items, for an unordered collection or page.</summary>
    public OneOrMany<LinkOrObject>? Items { get; set; }
}

/// <summary>A page of an unordered <see cref="Collection"/>.</summary>
public class CollectionPage : Collection
{
    /// <summary>The collection this page belongs to.</summary>
    public LinkOrObject? PartOf { get; set; }

    /// <summary>The next page.</summary>
    public LinkOrObject? Next { get; set; }

    /// <summary>The previous page.</summary>
    public LinkOrObject? Prev { get; set; }
}

/// <summary>An ActivityStreams <c>OrderedCollection</c> (outboxes, followers), newest first by convention.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Named after the ActivityStreams type.")]
public class OrderedCollection : Collection
{
    /// <summary>The items in order.</summary>
    public OneOrMany<LinkOrObject>? OrderedItems { get; set; }
}

/// <summary>A page of an <see cref="OrderedCollection"/>.</summary>
public class OrderedCollectionPage : OrderedCollection
{
    /// <summary>The collection this page belongs to.</summary>
    public LinkOrObject? PartOf { get; set; }

    /// <summary>The next page.</summary>
    public LinkOrObject? Next { get; set; }

    /// <summary>The previous page.</summary>
    public LinkOrObject? Prev { get; set; }

    /// <summary>The index of this page's first item in the whole collection.</summary>
    public int? StartIndex { get; set; }
}
