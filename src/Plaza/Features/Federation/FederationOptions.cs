namespace Plaza.Features.Federation;

/// <summary>Federation settings, bound from <c>Plaza:PublicUrl</c> and <c>Plaza:Federation:*</c>.</summary>
public sealed class FederationOptions
{
    /// <summary>
    /// The origin peers reach this node at (<c>https://shop.example</c>). Actor ids, key ids and
    /// WebFinger handles are built from it, so it must not change once the node federates.
    /// </summary>
    public Uri PublicUrl { get; set; } = new("http://localhost:5000");

    /// <summary>
    /// Host names (as in URLs, without port) that outgoing fetches may reach although they resolve to
    /// loopback or private addresses. Empty in production; tests name their local peers here.
    /// </summary>
    public List<string> AllowedPrivateHosts { get; set; } = [];

    /// <summary>A PEM file of an extra certificate authority outgoing TLS trusts (a local test CA); none by default.</summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>
    /// How long one remote exchange may take in all: connecting, redirects, headers and the whole
    /// body. A peer that trickles its answer is cut off here and the fetch or delivery fails.
    /// </summary>
    public TimeSpan RemoteReadDeadline { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the workers look for work written by other processes or due for retry.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry delay; later ones double (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Attempts before a delivery is given up (about three days with the defaults).</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Consecutive failures after which a host is skipped for <see cref="CircuitOpenFor"/>.</summary>
    public int CircuitFailureThreshold { get; set; } = 5;

    public TimeSpan CircuitOpenFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long deliveries to a host may fail without one success before the host is marked unavailable:
    /// its queued deliveries are given up and none is attempted until it is heard from again.
    /// </summary>
    public TimeSpan UnavailableAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often an unavailable host is asked whether it is back.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Inbox POSTs one client address may make per minute.</summary>
    public int InboxPerAddressPerMinute { get; set; } = 600;

    /// <summary>Inbox POSTs signed with keys of one host per minute (each unknown key may cost fetches).</summary>
    public int InboxPerKeyHostPerMinute { get; set; } = 600;

    /// <summary>Activities one remote account may have stored in a day.</summary>
    public int InboxPerActorPerDay { get; set; } = 5_000;

    /// <summary>Activities one remote server may have stored in a day.</summary>
    public int InboxPerHostPerDay { get; set; } = 50_000;

    /// <summary>
    /// How long processed inbox activities are kept (posts of followed accounts shown for boosting come
    /// from them). At least a day: the signature window (one hour) is what stops a replay after that.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a fetched actor's key is trusted before it is fetched again.</summary>
    public TimeSpan ActorCacheFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Exponential (first delay × 2ⁿ⁻¹, capped) with ±25 % jitter, so a recovering host is not hit by every node at once.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var exponential = FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var capped = Math.Min(exponential, MaxRetryDelay.TotalSeconds);
        var jitter = 0.75 + (Random.Shared.NextDouble() * 0.5);
        return TimeSpan.FromSeconds(capped * jitter);
    }

    /// <summary>How long a delivery would be retried before it is given up: the back-off's delays added up, without jitter.</summary>
    public TimeSpan RetryWindow => TimeSpan.FromSeconds(Enumerable.Range(1, Math.Max(MaxAttempts, 1))
        .Sum(n => Math.Min(FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Min(n - 1, 30)), MaxRetryDelay.TotalSeconds)));

    public string Host => PublicUrl.IsDefaultPort ? PublicUrl.Host : $"{PublicUrl.Host}:{PublicUrl.Port}";

    public string Origin => PublicUrl.GetLeftPart(UriPartial.Authority);
}

/// <summary>The IRIs of this node's actors and objects, all under <see cref="FederationOptions.PublicUrl"/>.</summary>
public sealed class ActorUrls(FederationOptions options)
{
    public string Origin => options.Origin;

    public string Host => options.Host;

    public string Actor(string slug) => $"{Origin}/actors/{Uri.EscapeDataString(slug)}";

    public string KeyId(string slug) => Actor(slug) + "#main-key";

    public string Inbox(string slug) => Actor(slug) + "/inbox";

    public string Outbox(string slug) => Actor(slug) + "/outbox";

    public string Followers(string slug) => Actor(slug) + "/followers";

    public string Following(string slug) => Actor(slug) + "/following";

    public string Note(string slug, long id) => $"{Actor(slug)}/notes/{id}";

    public string Activity(string slug, string kind, Guid id) => $"{Actor(slug)}/activities/{kind}/{id:N}";

    public string Storefront(string slug) => $"{Origin}/s/{Uri.EscapeDataString(slug)}";

    public string SharedInbox => Origin + "/inbox";

    public string InstanceActor => Origin + "/actor";

    public string InstanceOutbox => InstanceActor + "/outbox";

    /// <summary>The node's shop directory, a paged <c>OrderedCollection</c> other nodes may subscribe to.</summary>
    public string Directory => Origin + "/directory";

    public string InstanceKeyId => InstanceActor + "#main-key";

    /// <summary>The slug when <paramref name="iri"/> is one of this node's shop actors; null otherwise.</summary>
    public string? ShopSlugOf(string? iri) => NameUnder("/actors/", iri);

    /// <summary>The last path segment when <paramref name="iri"/> is <c>{Origin}{path}{name}</c> on this node; null otherwise.</summary>
    public string? NameUnder(string path, string? iri)
    {
        var prefix = Origin + path;
        if (iri is null || !iri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var rest = iri[prefix.Length..];
        return rest.Length == 0 || rest.Contains('/', StringComparison.Ordinal) || rest.Contains('#', StringComparison.Ordinal)
            ? null
            : Uri.UnescapeDataString(rest);
    }
}
