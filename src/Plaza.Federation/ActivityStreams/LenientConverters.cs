using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plaza.Federation.ActivityStreams;

/// <summary>
/// Reads a property meant to hold one object (<c>publicKey</c>, <c>location</c>, <c>endpoints</c>)
/// when a peer sends an array of them (takes the first object) or a bare IRI (reads nothing).
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
internal sealed class FirstObjectConverter<T> : JsonConverter<T>
    where T : class
{
    /// <inheritdoc />
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return JsonSerializer.Deserialize<T>(ref reader, options);
            case JsonTokenType.StartArray:
                T? first = null;
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
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}

/// <summary>Reads a string property leniently: numbers and booleans as their text, objects and arrays as null.</summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Utf8Text(ref reader);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    private static string Utf8Text(ref Utf8JsonReader reader) =>
        System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
}

/// <summary>Reads a boolean leniently: <c>true</c>/<c>false</c> or their strings; anything else is null.</summary>
internal sealed class LenientBooleanConverter : JsonConverter<bool?>
{
    public override bool HandleNull => true;

    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String when bool.TryParse(reader.GetString(), out var parsed):
                return parsed;
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is { } flag)
        {
            writer.WriteBooleanValue(flag);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Reads a date leniently: an unparsable <c>published</c> becomes null rather than failing the document.</summary>
internal sealed class LenientDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.TryGetDateTimeOffset(out var exact))
            {
                return exact;
            }

            if (DateTimeOffset.TryParse(
                reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var loose))
            {
                return loose;
            }

            return null;
        }

        reader.Skip();
        return null;
    }

    // ActivityStreams dates are xsd:dateTime; UTC with a Z and whole seconds is what Mastodon writes.
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } date)
        {
            writer.WriteStringValue(date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>
/// Reads a <c>publicKey</c> entry in any shape peers send: an embedded key object, or a bare key
/// IRI (the key lives at its own URL); <c>owner</c> as an IRI or as an object with an <c>id</c>.
/// </summary>
internal sealed class ActorPublicKeyConverter : JsonConverter<ActorPublicKey>
{
    public override ActorPublicKey? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new ActorPublicKey { Id = reader.GetString() };
            case JsonTokenType.StartObject:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    var key = new ActorPublicKey();
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        switch (property.Name)
                        {
                            case "id":
                                key.Id = IdOf(property.Value);
                                break;
                            case "owner":
                                key.Owner = IdOf(property.Value);
                                break;
                            case "publicKeyPem":
                                key.PublicKeyPem = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                                break;
                            default:
                                key.ExtensionData ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                                key.ExtensionData[property.Name] = property.Value.Clone();
                                break;
                        }
                    }

                    return key;
                }

            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, ActorPublicKey value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        WriteIfSet(writer, "id", value.Id);
        WriteIfSet(writer, "owner", value.Owner);
        WriteIfSet(writer, "publicKeyPem", value.PublicKeyPem);
        foreach (var (name, element) in value.ExtensionData ?? new Dictionary<string, JsonElement>())
        {
            writer.WritePropertyName(name);
            element.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static string? IdOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object when value.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
        _ => null,
    };

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
