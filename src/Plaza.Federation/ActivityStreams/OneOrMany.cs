using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plaza.Federation.ActivityStreams;

/// <summary>
/// A property that ActivityStreams lets a sender write either as a single value or as an array
/// (<c>"to": "https://…"</c> and <c>"to": ["https://…"]</c> mean the same thing).
/// Reading accepts both; writing keeps the form the value was made with, so a document
/// read and written again looks like the original.
/// </summary>
/// <typeparam name="T">The element type, usually <see cref="string"/> or <see cref="LinkOrObject"/>.</typeparam>
[JsonConverter(typeof(OneOrManyConverterFactory))]
public sealed class OneOrMany<T> : IReadOnlyList<T>
{
    private readonly T[] items;

    /// <summary>Creates a value written as a single item, not an array.</summary>
    public OneOrMany(T item)
    {
        items = [item];
        IsArray = false;
    }

    /// <summary>Creates a value written as an array, even when it holds one item.</summary>
    public OneOrMany(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        this.items = [.. items];
        IsArray = true;
    }

    /// <summary>Whether the value is written as a JSON array.</summary>
    public bool IsArray { get; }

    /// <summary>The first item, or the default when there is none.</summary>
    public T? First => items.Length > 0 ? items[0] : default;

    /// <inheritdoc />
    public int Count => items.Length;

    /// <inheritdoc />
    public T this[int index] => items[index];

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    /// <summary>Wraps a single item.</summary>
    public static implicit operator OneOrMany<T>(T item) => new(item);

    /// <summary>Wraps an array, written as an array.</summary>
    public static implicit operator OneOrMany<T>(T[] items) => new((IEnumerable<T>)items);
}

/// <summary>Creates the converter that reads a single value or an array into <see cref="OneOrMany{T}"/>.</summary>
internal sealed class OneOrManyConverterFactory : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(OneOrMany<>);

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        var itemType = typeToConvert.GetGenericArguments()[0];
        return (JsonConverter)Activator.CreateInstance(typeof(OneOrManyConverter<>).MakeGenericType(itemType))!;
    }

    private sealed class OneOrManyConverter<T> : JsonConverter<OneOrMany<T>>
    {
        public override OneOrMany<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                var items = new List<T>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (TryReadItem(ref reader, options, out var item))
                    {
                        items.Add(item);
                    }
                }

                return new OneOrMany<T>(items);
            }

            return TryReadItem(ref reader, options, out var single) ? new OneOrMany<T>(single) : null;
        }

        public override void Write(Utf8JsonWriter writer, OneOrMany<T> value, JsonSerializerOptions options)
        {
            if (!value.IsArray && value.Count == 1)
            {
                JsonSerializer.Serialize(writer, value[0], options);
                return;
            }

            writer.WriteStartArray();
            foreach (var item in value)
            {
                JsonSerializer.Serialize(writer, item, options);
            }

            writer.WriteEndArray();
        }

        // Peers put surprising things in arrays (nulls, numbers where strings belong); an item
        // that does not fit is skipped rather than failing the whole document.
        private static bool TryReadItem(ref Utf8JsonReader reader, JsonSerializerOptions options, out T item)
        {
            item = default!;
            if (reader.TokenType == JsonTokenType.Null)
            {
                return false;
            }

            if (typeof(T) == typeof(string) && reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                return false;
            }

            var value = JsonSerializer.Deserialize<T>(ref reader, options);
            if (value is null)
            {
                return false;
            }

            item = value;
            return true;
        }
    }
}
