using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Federation.Signatures;

namespace Plaza.Features.Federation;

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
