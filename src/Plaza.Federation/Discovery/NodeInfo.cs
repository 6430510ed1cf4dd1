using System.Text.Json;

namespace Plaza.Federation.Discovery;

/// <summary>The <c>/.well-known/nodeinfo</c> document: links to the NodeInfo documents a server offers.</summary>
public sealed record NodeInfoLinks
{
    /// <summary>The path where peers look for this document.</summary>
    public const string Path = "/.well-known/nodeinfo";

    /// <summary>The relation naming the NodeInfo 2.1 schema.</summary>
    public const string Schema21Rel = "http://nodeinfo.diaspora.software/ns/schema/2.1";

    /// <summary>The links.</summary>
    public IReadOnlyList<NodeInfoLink> Links { get; init; } = [];

    /// <summary>The links document pointing at a NodeInfo 2.1 document at <paramref name="nodeInfoUrl"/>.</summary>
    public static NodeInfoLinks For(string nodeInfoUrl) =>
        new() { Links = [new NodeInfoLink { Rel = Schema21Rel, Href = nodeInfoUrl }] };
}

/// <summary>A link in <see cref="NodeInfoLinks"/>.</summary>
public sealed record NodeInfoLink
{
    /// <summary>The schema relation.</summary>
    public required string Rel { get; init; }

    /// <summary>Where the NodeInfo document is.</summary>
    public required string Href { get; init; }
}

/// <summary>
/// A NodeInfo 2.1 document: what software a server runs, which protocols it speaks and how
/// much it is used. Fediverse statistics sites and peers read it.
/// </summary>
public sealed record NodeInfoDocument
{
    /// <summary>The media type to serve it with.</summary>
    public const string MediaType = "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"";

    /// <summary>The schema version, always <c>2.1</c>.</summary>
    public string Version { get; init; } = "2.1";

    /// <summary>The server software.</summary>
    public required NodeInfoSoftware Software { get; init; }

    /// <summary>The protocols spoken; Plaza speaks <c>activitypub</c>.</summary>
    public IReadOnlyList<string> Protocols { get; init; } = ["activitypub"];

    /// <summary>Third-party services the server connects to; the schema requires both lists, empty or not.</summary>
    public NodeInfoServices Services { get; init; } = new();

    /// <summary>Whether anyone may sign up.</summary>
    public bool OpenRegistrations { get; init; }

    /// <summary>Usage statistics.</summary>
    public required NodeInfoUsage Usage { get; init; }

    /// <summary>Free-form metadata (e.g. <c>nodeName</c>); an empty object when there is none, as the schema requires one.</summary>
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Serialises with the camelCase names the schema uses.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, WebFinger.JsonOptions);
}

/// <summary>The <c>software</c> of a NodeInfo document.</summary>
public sealed record NodeInfoSoftware
{
    /// <summary>The canonical name: lowercase letters, digits and hyphens only (the schema's pattern).</summary>
    public required string Name { get; init; }

    /// <summary>The version.</summary>
    public required string Version { get; init; }

    /// <summary>The source repository.</summary>
    public string? Repository { get; init; }

    /// <summary>The project's home page.</summary>
    public string? Homepage { get; init; }
}

/// <summary>The <c>services</c> of a NodeInfo document.</summary>
public sealed record NodeInfoServices
{
    /// <summary>Services the server receives from.</summary>
    public IReadOnlyList<string> Inbound { get; init; } = [];

    /// <summary>Services the server publishes to.</summary>
    public IReadOnlyList<string> Outbound { get; init; } = [];
}

/// <summary>The <c>usage</c> of a NodeInfo document.</summary>
public sealed record NodeInfoUsage
{
    /// <summary>User counts; the schema requires the object.</summary>
    public NodeInfoUsers Users { get; init; } = new();

    /// <summary>How many posts local users have made.</summary>
    public long? LocalPosts { get; init; }
}

/// <summary>The <c>usage.users</c> of a NodeInfo document.</summary>
public sealed record NodeInfoUsers
{
    /// <summary>All users (for Plaza: shop actors).</summary>
    public long? Total { get; init; }

    /// <summary>Users active in the last month.</summary>
    public long? ActiveMonth { get; init; }

    /// <summary>Users active in the last six months.</summary>
    public long? ActiveHalfyear { get; init; }
}
