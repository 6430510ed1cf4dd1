using System.Collections.Frozen;
using System.Text.Json;

namespace Plaza.Federation.ActivityStreams;

/// <summary>
/// Maps an ActivityStreams <c>type</c> to the .NET type that holds it, so an embedded or
/// top-level object comes back as <see cref="Actor"/>, <see cref="Activity"/>, <see cref="Place"/>, <see cref="Tombstone"/>…
/// Unknown types fall back to <see cref="AsObject"/> and keep their extra properties.
/// </summary>
public static class ActivityStreamsTypes
{
    /// <summary>The .NET type for the first known name among <paramref name="typeNames"/>, or <see cref="AsObject"/>.</summary>
    public static Type ClrTypeFor(IEnumerable<string>? typeNames)
    {
        foreach (var name in typeNames ?? [])
        {
            if (ClrTypes.TryGetValue(WithoutPrefix(name), out var type))
            {
                return type;
            }
        }

        return typeof(AsObject);
    }

    /// <summary>Deserialises a JSON object as the .NET type its <c>type</c> names; null when it is not an object.</summary>
    public static AsObject? Deserialize(JsonElement element, JsonSerializerOptions options)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var clrType = ClrTypeFor(TypeNames(element));
        return (AsObject?)element.Deserialize(clrType, options);
    }

    private static IEnumerable<string> TypeNames(JsonElement element)
    {
        if (!element.TryGetProperty("type", out var type))
        {
            yield break;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            yield return type.GetString()!;
        }
        else if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in type.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    yield return item.GetString()!;
                }
            }
        }
    }

    // Some peers write compact IRIs such as "as:Note"; the local name is what identifies the type.
    private static string WithoutPrefix(string name)
    {
        var colon = name.LastIndexOf(':');
        return colon >= 0 && !name.Contains("//", StringComparison.Ordinal) ? name[(colon + 1)..] : name;
    }

    private static FrozenDictionary<string, Type> BuildClrTypes()
    {
        var types = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var name in ActorTypes)
        {
            types[name] = typeof(Actor);
        }

        foreach (var name in ActivityTypes)
        {
            types[name] = typeof(Activity);
        }

        foreach (var name in LinkTypes)
        {
            types[name] = typeof(Link);
        }

        types["Collection"] = typeof(Collection);
        types["CollectionPage"] = typeof(CollectionPage);
        types["OrderedCollection"] = typeof(OrderedCollection);
        types["OrderedCollectionPage"] = typeof(OrderedCollectionPage);
        types["Place"] = typeof(Place);
        types["PropertyValue"] = typeof(PropertyValue);
        types["Tombstone"] = typeof(Tombstone);
        return types.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The actor types of ActivityStreams 2.0.</summary>
    public static readonly IReadOnlyList<string> ActorTypes =
        ["Application", "Group", "Organization", "Person", "Service"];

    /// <summary>The activity types of the ActivityStreams 2.0 vocabulary, plus <c>EmojiReact</c> (Misskey, Pleroma).</summary>
    public static readonly IReadOnlyList<string> ActivityTypes =
    [
        "Activity", "IntransitiveActivity", "Accept", "Add", "Announce", "Arrive", "Block", "Create", "Delete",
        "Dislike", "EmojiReact", "Flag", "Follow", "Ignore", "Invite", "Join", "Leave", "Like", "Listen", "Move",
        "Offer", "Question", "Read", "Reject", "Remove", "TentativeAccept", "TentativeReject", "Travel", "Undo",
        "Update", "View",
    ];

    /// <summary>The link types: <c>Link</c>, and <c>Mention</c>/<c>Hashtag</c> as used in <c>tag</c>.</summary>
    public static readonly IReadOnlyList<string> LinkTypes = ["Link", "Mention", "Hashtag"];

    // Declared after the lists it is built from: static fields initialise in textual order.
    private static readonly FrozenDictionary<string, Type> ClrTypes = BuildClrTypes();
}
