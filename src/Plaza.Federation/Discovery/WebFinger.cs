using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plaza.Federation.Discovery;

/// <summary>A WebFinger JSON Resource Descriptor (RFC 7033 §4.4), the answer to <c>/.well-known/webfinger</c>.</summary>
public sealed record JsonResourceDescriptor
{
    /// <summary>The resource described, e.g. <c>acct:bakery@shop.example</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>Other URIs for the same resource, e.g. the actor IRI and profile page.</summary>
    public IReadOnlyList<string>? Aliases { get; init; }

    /// <summary>Links to the resource's representations.</summary>
    public IReadOnlyList<JrdLink> Links { get; init; } = [];

    /// <summary>
    /// The descriptor Mastodon looks for: a <c>self</c> link of type <c>application/activity+json</c>
    /// to the actor, and the profile page for people. Mastodon then checks the reverse: the actor's
    /// <c>preferredUsername</c> at this host must give back the same account.
    /// </summary>
    public static JsonResourceDescriptor ForActor(AcctUri account, string actorId, string? profilePage = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        List<JrdLink> links = [new JrdLink { Rel = WebFinger.SelfRel, Type = WebFinger.ActivityStreamsType, Href = actorId }];
        if (profilePage is not null)
        {
            links.Add(new JrdLink { Rel = WebFinger.ProfilePageRel, Type = "text/html", Href = profilePage });
        }

        return new JsonResourceDescriptor
        {
            Subject = account.ToString(),
            Aliases = profilePage is null || profilePage == actorId ? [actorId] : [actorId, profilePage],
            Links = links,
        };
    }

    /// <summary>The <c>href</c> of the first <c>self</c> link of type ActivityStreams: the actor to fetch.</summary>
    public string? ActorId => Links.FirstOrDefault(link =>
        link.Rel == WebFinger.SelfRel
        && (link.Type == WebFinger.ActivityStreamsType || (link.Type?.StartsWith("application/ld+json", StringComparison.Ordinal) ?? false)))?.Href;
}

/// <summary>A link in a <see cref="JsonResourceDescriptor"/>.</summary>
public sealed record JrdLink
{
    /// <summary>The relation, a registered name or a URI.</summary>
    public required string Rel { get; init; }

    /// <summary>The media type of the target.</summary>
    public string? Type { get; init; }

    /// <summary>The target.</summary>
    public string? Href { get; init; }

    /// <summary>A URI template, as Mastodon's <c>http://ostatus.org/schema/1.0/subscribe</c> link uses.</summary>
    public string? Template { get; init; }
}

/// <summary>WebFinger constants and the JSON options for discovery documents.</summary>
public static class WebFinger
{
    /// <summary>The media type of a JRD response.</summary>
    public const string MediaType = "application/jrd+json";

    /// <summary>The path of the WebFinger endpoint.</summary>
    public const string Path = "/.well-known/webfinger";

    /// <summary>The relation of the link to the actor document.</summary>
    public const string SelfRel = "self";

    /// <summary>The relation of the link to the human-readable profile page.</summary>
    public const string ProfilePageRel = "http://webfinger.net/rel/profile-page";

    /// <summary>The media type of the actor document.</summary>
    public const string ActivityStreamsType = "application/activity+json";

    /// <summary>camelCase names, nulls left out: the shape of JRD and NodeInfo documents.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
