using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plaza.Federation.ActivityStreams;

/// <summary>
/// A reference that ActivityStreams lets a sender write either as a bare IRI
/// (<c>"actor": "https://example.com/users/alice"</c>) or as the embedded object itself
/// (<c>"actor": { "id": "https://example.com/users/alice", "type": "Person", … }</c>).
/// </summary>
[JsonConverter(typeof(LinkOrObjectConverter))]
public sealed class LinkOrObject
{
    /// <summary>A reference written as a bare IRI.</summary>
    public LinkOrObject(string iri)
    {
        ArgumentNullException.ThrowIfNull(iri);
        Iri = iri;
    }

    /// <summary>A reference written as an embedded object.</summary>
    public LinkOrObject(AsObject embedded)
    {
        ArgumentNullException.ThrowIfNull(embedded);
        Embedded = embedded;
    }

    private LinkOrObject(AsObject embedded, JsonElement received, bool withoutContext)
        : this(embedded)
    {
        Received = received;
        OmitsContext = withoutContext;
    }

    /// <summary>
    /// An embedded object exactly as a peer sent it (the <c>Follow</c> an <c>Accept</c> answers, the activity
    /// a group re-shares): read like any embedded object through <see cref="Embedded"/>, but written back
    /// unchanged — property order, number and date forms, and terms this library does not model — so the
    /// peer finds its own document in the answer.
    /// </summary>
    /// <param name="json">The object as received.</param>
    /// <param name="withoutContext">Leave out the object's own <c>@context</c>, for embedding in a document that carries one.</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    public static LinkOrObject AsReceived(JsonElement json, bool withoutContext = false)
    {
        var embedded = ActivityStreamsTypes.Deserialize(json, ActivityStreamsJson.Options)
            ?? throw new ArgumentException("Only a JSON object can be embedded.", nameof(json));
        return new LinkOrObject(embedded, json.Clone(), withoutContext);
    }

    /// <summary>An embedded object exactly as a peer sent it, from the received text; see <see cref="AsReceived(JsonElement, bool)"/>.</summary>
    /// <param name="json">The object as received.</param>
    /// <param name="withoutContext">Leave out the object's own <c>@context</c>, for embedding in a document that carries one.</param>
    /// <exception cref="JsonException"><paramref name="json"/> is not JSON.</exception>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    public static LinkOrObject AsReceived(string json, bool withoutContext = false)
    {
        using var document = JsonDocument.Parse(json);
        return AsReceived(document.RootElement, withoutContext);
    }

    /// <summary>The IRI when the reference was written as a bare string; otherwise null.</summary>
    public string? Iri { get; }

    /// <summary>The embedded object, typed by its <c>type</c> (e.g. <see cref="Actor"/>, <see cref="Activity"/>); otherwise null.</summary>
    public AsObject? Embedded { get; }

    /// <summary>The identifier: the bare IRI, or the embedded object's <c>id</c>.</summary>
    public string? Id => Iri ?? Embedded?.Id;

    /// <summary>
    /// The address the reference points at when used as a link (<c>url</c>, <c>tag</c>):
    /// the bare IRI, or an embedded <see cref="Link"/>'s <c>href</c>, or the embedded object's <c>id</c>.
    /// </summary>
    public string? Href => Iri ?? (Embedded as Link)?.Href ?? Embedded?.Id;

    /// <summary>Whether the reference was written as a bare IRI.</summary>
    public bool IsIri => Iri is not null;

    /// <summary>The object as received (<see cref="AsReceived(JsonElement, bool)"/>), written instead of <see cref="Embedded"/>.</summary>
    internal JsonElement? Received { get; }

    /// <summary>Whether <see cref="Received"/> is written without its <c>@context</c>.</summary>
    internal bool OmitsContext { get; }

    /// <summary>The embedded object as <typeparamref name="T"/>, or null when it is an IRI or another type.</summary>
    public T? As<T>()
        where T : AsObject => Embedded as T;

    /// <summary>Makes a bare-IRI reference.</summary>
    public static implicit operator LinkOrObject(string iri) => new(iri);

    /// <summary>Makes an embedded-object reference.</summary>
    public static implicit operator LinkOrObject(AsObject embedded) => new(embedded);

    /// <inheritdoc />
    public override string ToString() => Id ?? Embedded?.GetType().Name ?? string.Empty;
}

/// <summary>Reads a bare IRI or an embedded object (typed by its <c>type</c>) into <see cref="LinkOrObject"/>.</summary>
internal sealed class LinkOrObjectConverter : JsonConverter<LinkOrObject>
{
    /// <inheritdoc />
    public override LinkOrObject? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var iri = reader.GetString();
                return string.IsNullOrEmpty(iri) ? null : new LinkOrObject(iri);
            case JsonTokenType.StartObject:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    var embedded = ActivityStreamsTypes.Deserialize(document.RootElement, options);
                    return embedded is null ? null : new LinkOrObject(embedded);
                }

            case JsonTokenType.StartArray:
                // A single-valued slot that a peer filled with an array: keep the first usable item.
                LinkOrObject? first = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var item = Read(ref reader, typeToConvert, options);
                    first ??= item;
                }

                return first;
            default:
                reader.Skip();
                return null;
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, LinkOrObject value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Received is { } received)
        {
            writer.WriteStartObject();
            foreach (var property in received.EnumerateObject())
            {
                if (!(value.OmitsContext && property.NameEquals("@context")))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }
        else if (value.Embedded is { } embedded)
        {
            // Serialise by runtime type so an embedded Actor or Activity keeps its own properties.
            JsonSerializer.Serialize(writer, embedded, embedded.GetType(), options);
        }
        else
        {
            writer.WriteStringValue(value.Iri);
        }
    }
}
