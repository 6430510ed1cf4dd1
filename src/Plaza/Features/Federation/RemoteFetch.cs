using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Federation.Signatures;

namespace Plaza.Features.Federation;

/// <summary>Thrown when a remote fetch is refused by policy (blocked domain, private address, too large).</summary>
public sealed class RemoteFetchRefusedException(string message) : Exception(message);

/// <summary>
/// The node's outgoing HTTP: every connection is checked at connect time, after DNS, so a peer
/// cannot point a name at loopback or the private network (SSRF); names in
/// <see cref="FederationOptions.AllowedPrivateHosts"/> are exempt (tests). Redirects are followed
/// by <see cref="CheckedRedirects"/>, which checks each new target as the first one was, and
/// <see cref="RemoteReadDeadline"/> bounds each exchange, body included.
/// </summary>
public static class FederationHttp
{
    public const string ClientName = "federation";
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxRedirects = 2;

    public static IHttpClientBuilder AddFederationHttpClient(this IServiceCollection services) =>
        services.AddHttpClient(ClientName, client =>
            {
                // RemoteReadDeadline counts instead, over headers and body both.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Plaza/1.0 (+https://github.com/plaza)");
            })
            .AddHttpMessageHandler(sp => new RemoteReadDeadline(sp.GetRequiredService<FederationOptions>().RemoteReadDeadline))
            .AddHttpMessageHandler(sp => new CheckedRedirects(sp.GetRequiredService<IServiceScopeFactory>()))
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp.GetRequiredService<FederationOptions>()));

    public static SocketsHttpHandler CreateHandler(FederationOptions options)
    {
        var allowed = options.AllowedPrivateHosts.Select(h => h.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var handler = new SocketsHttpHandler
        {
            // The socket handler would follow a redirect wherever it points without asking;
            // CheckedRedirects follows them instead, checking each target.
            AllowAutoRedirect = false,
            // Never through a proxy (HTTP_PROXY and the like): the connect-time check below would then
            // judge the proxy's address, and the proxy would reach whatever the peer named.
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            ConnectCallback = async (context, ct) =>
            {
                var host = context.DnsEndPoint.Host;
                var addresses = await Dns.GetHostAddressesAsync(host, ct);
                var permitted = allowed.Contains(host.ToLowerInvariant())
                    ? addresses
                    : [.. addresses.Where(IsPublic)];
                if (permitted.Length == 0)
                {
                    throw new RemoteFetchRefusedException($"{host} resolves to no public address; refusing to connect.");
                }
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (options.TrustedCaFile is { Length: > 0 } caFile)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (errors == SslPolicyErrors.None)
                    {
                        return true;
                    }
                    if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
                    {
                        return false;
                    }
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            };
        }
        return handler;
    }

    // IPv4 ranges a peer has no business sending us to (IANA special-purpose registry): "this"
    // network, private networks, shared address space (CGNAT), loopback, link-local, IETF protocol
    // assignments, documentation, the 6to4 relay anycast, benchmarking, multicast and reserved
    // (the broadcast address included).
    private static readonly IPNetwork[] NotPublicV4 =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        }.Select(IPNetwork.Parse),
    ];

    // IPv6 peers live in global unicast (2000::/3), which leaves out loopback, unspecified,
    // link-local, site-local, unique local, multicast, discard-only and the local-use NAT64 prefix
    // 64:ff9b:1::/48. Inside it: the IETF protocol assignments (Teredo 2001::/32 among them, whose
    // client address is obfuscated, so it is refused whole) and the documentation prefixes.
    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] NotPublicV6 = [.. new[] { "2001::/23", "2001:db8::/32", "3fff::/20" }.Select(IPNetwork.Parse)];

    private static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>
    /// False for loopback, private, link-local, carrier-grade NAT, documentation, benchmarking,
    /// multicast, reserved and unspecified addresses. An IPv6 address that carries an IPv4 one
    /// (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4) is judged by the IPv4 it carries:
    /// 64:ff9b::7f00:1 reaches 127.0.0.1 through a NAT64 gateway.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        var judged = EmbeddedIPv4(address) ?? address;
        return judged.AddressFamily == AddressFamily.InterNetwork
            ? !NotPublicV4.Any(n => n.Contains(judged))
            : GlobalUnicastV6.Contains(judged) && !NotPublicV6.Any(n => n.Contains(judged));
    }

    /// <summary>The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address; null for any other.</summary>
    public static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }
        var bytes = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6 || Ipv4Compatible.Contains(address) || Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }

    /// <summary>Reads a response body, refusing more than <see cref="MaxBodyBytes"/>.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw new RemoteFetchRefusedException("The remote document is larger than 1 MiB.");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new RemoteFetchRefusedException("The remote document is larger than 1 MiB.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static string? HostOf(string? iri) =>
        Uri.TryCreate(iri, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.Host.ToLowerInvariant() : null;
}

/// <summary>How a key look-up ended: the actor whose document publishes the key, or why there is none.</summary>
/// <param name="Fetched">Whether the look-up went to the network (so asking again at once would learn nothing new).</param>
/// <param name="ActorMissing">Whether the actor's document could not be had at all (gone, or its server down).</param>
/// <param name="NotTheActorsKey">Whether the actor was found but the key is not one it publishes (someone else's key).</param>
public sealed record KeyResolution(RemoteActor? Actor, string? Refusal, bool Fetched, bool ActorMissing = false, bool NotTheActorsKey = false)
{
    public static KeyResolution Refused(string reason, bool fetched, bool actorMissing = false, bool notTheActorsKey = false) =>
        new(null, reason, fetched, actorMissing, notTheActorsKey);
}

/// <summary>
/// Remote actors: fetched (signed by the instance actor, for servers in secure mode), checked
/// (the document carries the id asked for), and cached with their key.
/// </summary>
public sealed class RemoteActors(
    PlazaDb db, IHttpClientFactory http, FederationKeys keys, ActorUrls urls, FederationOptions options, TimeProvider clock)
{
    public async Task<bool> IsBlockedAsync(string? iri, CancellationToken ct)
    {
        var host = FederationHttp.HostOf(iri);
        if (host is null)
        {
            return false;
        }
        // A block on example.com covers its subdomains too.
        var candidates = new List<string> { host };
        for (var dot = host.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = host.IndexOf('.', dot + 1))
        {
            candidates.Add(host[(dot + 1)..]);
        }
        if (await db.BlockedDomains.AnyAsync(d => candidates.Contains(d.Domain), ct))
        {
            return true;
        }
        // An operator's block of one actor covers its key ids (actor#main-key) and its objects.
        var blockedActors = await db.BlockedActors.AsNoTracking().Where(a => a.ActorId.Contains(host)).Select(a => a.ActorId).ToListAsync(ct);
        return blockedActors.Any(a => iri == a || iri!.StartsWith(a + "#", StringComparison.Ordinal) || iri.StartsWith(a + "/", StringComparison.Ordinal));
    }

    /// <summary>
    /// The key <paramref name="keyId"/> of <paramref name="actorId"/>: from the cache when it holds that
    /// exact pair and is fresh (and not <paramref name="refresh"/>), otherwise from the actor's own
    /// document. A key counts for an actor only when the actor's document publishes that key id (embedded,
    /// or as a link to a key document whose <c>owner</c> is the actor) and the key is on the actor's
    /// origin; what another document claims about a key id is never believed.
    /// </summary>
    public async Task<KeyResolution> KeyForAsync(string keyId, string actorId, bool refresh, CancellationToken ct)
    {
        if (!SignerIdentity.SameOrigin(keyId, actorId))
        {
            return KeyResolution.Refused("the key is not on its actor's origin", fetched: false, notTheActorsKey: true);
        }
        var cached = await db.RemoteActors.AsNoTracking().FirstOrDefaultAsync(a => a.ActorId == actorId && a.KeyId == keyId, ct);
        if (cached is not null && !refresh && IsFresh(cached))
        {
            return new KeyResolution(cached, null, Fetched: false);
        }
        var actor = await FetchAsync(actorId, keyId, ct);
        return actor switch
        {
            null => KeyResolution.Refused("the actor's document could not be fetched or is not that actor", fetched: true, actorMissing: true),
            { KeyId: var published } when published != keyId => KeyResolution.Refused("the actor does not publish that key", fetched: true, notTheActorsKey: true),
            _ => new KeyResolution(actor, null, Fetched: true),
        };
    }

    /// <summary>The actor, from the cache when fresh, otherwise fetched and cached.</summary>
    public async Task<RemoteActor?> GetAsync(string actorId, CancellationToken ct)
    {
        var cached = await db.RemoteActors.AsNoTracking().FirstOrDefaultAsync(a => a.ActorId == actorId, ct);
        return cached is not null && IsFresh(cached) ? cached : await FetchAsync(actorId, wantedKeyId: null, ct);
    }

    private bool IsFresh(RemoteActor actor) => clock.GetUtcNow().UtcDateTime - actor.FetchedAt < options.ActorCacheFor;

    /// <summary>
    /// Fetches and caches the actor with the key it publishes under <paramref name="wantedKeyId"/> (or its
    /// first key). An actor without a usable key is still cached, with no key, so deliveries reach it.
    /// </summary>
    private async Task<RemoteActor?> FetchAsync(string actorId, string? wantedKeyId, CancellationToken ct)
    {
        using var document = await GetJsonAsync(actorId, ct);
        if (document is null)
        {
            return null;
        }
        var parsed = ActivityStreamsTypes.Deserialize(document.RootElement, ActivityStreamsJson.Options) as Actor;
        if (parsed is not { Inbox: not null } || parsed.Id != actorId)
        {
            // A document that is not the actor asked for must not stand in for it.
            return null;
        }
        var key = SignerIdentity.PublishedKey(parsed, wantedKeyId) ?? SignerIdentity.PublishedKey(parsed, null);
        if (key is { PublicKeyPem: null, Id: { } keyUrl })
        {
            // The key lives at its own URL (GoToSocial, activitypub-bot): its document must name this actor as owner.
            using var keyDocument = await GetJsonAsync(keyUrl, ct);
            var published = keyDocument is null ? null : keyDocument.RootElement.Deserialize<ActorPublicKey>(ActivityStreamsJson.Options);
            key = published is not null && SignerIdentity.IsKeyDocumentOf(published, keyUrl, actorId) ? published : null;
        }
        var row = await db.RemoteActors.FirstOrDefaultAsync(a => a.ActorId == actorId, ct);
        if (row is null)
        {
            row = new RemoteActor { ActorId = actorId, KeyId = "", PublicKeyPem = "", Inbox = parsed.Inbox };
            db.RemoteActors.Add(row);
        }
        row.KeyId = key?.PublicKeyPem is null ? "" : key.Id!;
        row.PublicKeyPem = key?.PublicKeyPem ?? "";
        row.Inbox = parsed.Inbox;
        row.SharedInbox = parsed.Endpoints?.SharedInbox;
        row.PreferredUsername = parsed.PreferredUsername;
        row.FetchedAt = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Fetched concurrently by another request; either copy is as good.
            db.ChangeTracker.Clear();
        }
        db.Entry(row).State = EntityState.Detached;
        return row;
    }

    /// <summary>GETs an ActivityStreams document signed by the instance actor; null on 404/410 or a foreign id.</summary>
    public async Task<JsonDocument?> GetJsonAsync(string iri, CancellationToken ct) => (await FetchJsonAsync(iri, ct)).Document;

    /// <summary>Like <see cref="GetJsonAsync"/>, with the status, so a caller can tell "gone" (404/410) from "down".</summary>
    public async Task<(HttpStatusCode Status, JsonDocument? Document)> FetchJsonAsync(string iri, CancellationToken ct)
    {
        var (status, document, _) = await FetchJsonAsync(iri, ifNoneMatch: null, ct);
        return (status, document);
    }

    /// <summary>
    /// A conditional GET: with the ETag of an earlier answer, a peer that has nothing new answers 304
    /// (no document); the answer's own ETag comes back for the next time.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonDocument? Document, string? ETag)> FetchJsonAsync(string iri, string? ifNoneMatch, CancellationToken ct)
    {
        if (await IsBlockedAsync(iri, ct))
        {
            throw new RemoteFetchRefusedException($"{FederationHttp.HostOf(iri)} is blocked on this node.");
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, iri);
        request.Headers.Accept.ParseAdd(ActivityStreamsMediaTypes.Activity);
        request.Headers.Accept.ParseAdd(ActivityStreamsMediaTypes.LinkedData);
        if (ifNoneMatch is not null && EntityTagHeaderValue.TryParse(ifNoneMatch, out var tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }
        var key = await keys.InstanceAsync(ct);
        await CavageSignature.SignAsync(request, new SigningKey(urls.InstanceKeyId, key.PrivateKeyPem), clock, ct);
        using var response = await http.CreateClient(FederationHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var etag = response.Headers.ETag?.ToString();
        if (!response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null, etag);
        }
        var body = await FederationHttp.ReadLimitedAsync(response, ct);
        return (response.StatusCode, JsonDocument.Parse(body), etag);
    }

    /// <summary>Resolves <c>acct:user@host</c> (or <c>user@host</c>) to an actor id by WebFinger over HTTPS.</summary>
    public async Task<string?> WebFingerAsync(Plaza.Federation.Discovery.AcctUri account, CancellationToken ct)
    {
        // WebFinger is looked up over HTTPS only, as Mastodon and Fedify do — except by a node that is
        // itself served over plain http (development, the multi-node test on loopback).
        var scheme = options.PublicUrl.Scheme == Uri.UriSchemeHttp ? "http" : "https";
        var url = $"{scheme}://{account.Host}/.well-known/webfinger?resource={Uri.EscapeDataString(account.ToString())}";
        if (await IsBlockedAsync(url, ct))
        {
            throw new RemoteFetchRefusedException($"{account.Host} is blocked on this node.");
        }
        using var response = await http.CreateClient(FederationHttp.ClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var descriptor = JsonSerializer.Deserialize<Plaza.Federation.Discovery.JsonResourceDescriptor>(
            await FederationHttp.ReadLimitedAsync(response, ct), Plaza.Federation.Discovery.WebFinger.JsonOptions);
        return descriptor?.ActorId;
    }
}
