using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Plaza.Federation.ActivityStreams;

/// <summary>
/// How Plaza reads and writes ActivityStreams JSON: the serializer options, the <c>@context</c>
/// it sends, and parsing into the most specific type.
/// </summary>
public static class ActivityStreamsJson
{
    /// <summary>The special collection that makes an object public (<c>to</c> it for a public post).</summary>
    public const string PublicAudience = "https://www.w3.org/ns/activitystreams#Public";

    /// <summary>
    /// The serializer options: camelCase names, nulls left out, unknown properties kept, lenient
    /// about the shapes peers send. Read-only, shared.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// The <c>@context</c> Plaza sends: the two well-known contexts plus the inline terms Mastodon
    /// understands. Only well-known URLs, because peers expand JSON-LD offline from preloaded copies.
    /// </summary>
    public static JsonElement Context { get; } = JsonDocument.Parse(
        """
        [
          "https://www.w3.org/ns/activitystreams",
          "https://w3id.org/security/v1",
          {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value"
          }
        ]
        """).RootElement.Clone();

    /// <summary>
    /// The ActivityStreams context alone (a string), for documents that use none of the security or Mastodon
    /// terms of <see cref="Context"/>: collections and their pages.
    /// </summary>
    public static JsonElement ActivityStreamsContext { get; } = JsonSerializer.SerializeToElement("https://www.w3.org/ns/activitystreams");

    /// <summary>Parses a document as the .NET type its <c>type</c> names (<see cref="Actor"/>, <see cref="Activity"/>…).</summary>
    /// <exception cref="JsonException">The text is not JSON, or not a JSON object.</exception>
    public static AsObject Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ParseElement(document.RootElement);
    }

    /// <summary>Parses a UTF-8 document as the .NET type its <c>type</c> names.</summary>
    /// <exception cref="JsonException">The bytes are not JSON, or not a JSON object.</exception>
    public static AsObject Parse(ReadOnlyMemory<byte> utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        return ParseElement(document.RootElement);
    }

    /// <summary>Writes an object by its runtime type, so an <see cref="Actor"/> keeps its actor properties.</summary>
    public static string Serialize(AsObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.Serialize(value, value.GetType(), Options);
    }

    /// <summary>Whether an audience entry means "public" (the full IRI, or the compact forms some servers send).</summary>
    public static bool IsPublic(string? audience) =>
        audience is PublicAudience or "as:Public" or "Public";

    private static AsObject ParseElement(JsonElement root) =>
        ActivityStreamsTypes.Deserialize(root, Options)
        ?? throw new JsonException("An ActivityStreams document must be a JSON object.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            // Content is HTML; escaping every < and & would be valid but makes stored payloads unreadable.
            // The JSON is served as application/activity+json, never inlined into a page.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new LenientStringConverter());
        options.Converters.Add(new LenientBooleanConverter());
        options.Converters.Add(new LenientDateTimeOffsetConverter());
        options.MakeReadOnly();
        return options;
    }
}
