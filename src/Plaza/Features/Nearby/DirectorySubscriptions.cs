using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Nearby;

/// <summary>
/// Subscriptions to other nodes' shop directories (<see cref="DirectoryFeed"/> on a Plaza node): the
/// operator's commands, and the pull that keeps the shops they list in this node's directory. A pull
/// reads the whole listing (signed GETs through the guarded federation client; a 304 when the ETag is
/// unchanged), learns listed shops it does not know by fetching each one's own actor (a directory
/// points at shops, it does not vouch for what they say), and drops the ones this subscription added
/// that the listing no longer has. Blocked domains and actors are never fetched nor listed.
/// </summary>
public sealed partial class DirectorySubscriptions(
    PlazaDb db, RemoteActors remote, ShopDirectory directory, ActorUrls urls, NearbyOptions options, TimeProvider clock, ILogger<DirectorySubscriptions> log)
{
    /// <summary>A hostile or broken directory cannot make a pull endless.</summary>
    public const int MaxPages = 100;
    public const int MaxEntries = 10_000;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>The URL as stored: an http(s) URL, an origin without its trailing slash; or an exception the command reports.</summary>
    public static string Normalize(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0)
        {
            throw new ArgumentException($"'{url}' is not an http(s) URL of a node or its directory.", nameof(url));
        }
        return uri.AbsolutePath == "/" && uri.Query.Length == 0 ? uri.GetLeftPart(UriPartial.Authority) : uri.ToString();
    }

    /// <summary>Adds a subscription (pulled at the next round); false when it already existed.</summary>
    public async Task<bool> SubscribeAsync(string url, bool configured, CancellationToken ct)
    {
        url = Normalize(url);
        if (await db.DirectorySubscriptions.AnyAsync(s => s.Url == url, ct))
        {
            return false;
        }
        db.DirectorySubscriptions.Add(new DirectorySubscription { Url = url, Configured = configured, SubscribedAt = clock.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Added at the same moment by another process.
            db.ChangeTracker.Clear();
            return false;
        }
        return true;
    }

    /// <summary>Ends a subscription and removes the shops only it listed; returns how many, or null when there was none.</summary>
    public async Task<int?> UnsubscribeAsync(string url, CancellationToken ct)
    {
        url = Normalize(url);
        var subscription = await db.DirectorySubscriptions.FirstOrDefaultAsync(s => s.Url == url, ct);
        if (subscription is null)
        {
            return null;
        }
        var removed = await db.KnownShops.Where(s => s.SubscriptionId == subscription.Id && s.Source == KnownShopSource.Directory).ExecuteDeleteAsync(ct);
        await db.KnownShops.Where(s => s.SubscriptionId == subscription.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.SubscriptionId, (int?)null), ct);
        db.DirectorySubscriptions.Remove(subscription);
        await db.SaveChangesAsync(ct);
        return removed;
    }

    /// <summary>Pulls every subscription not pulled within the interval (adding configured ones first); returns how many it pulled.</summary>
    public async Task<int> PullDueAsync(CancellationToken ct)
    {
        foreach (var url in options.Directories)
        {
            await SubscribeAsync(url, configured: true, ct);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var pulledBefore = now - options.DirectoryPullInterval;
        var due = await db.DirectorySubscriptions.AsNoTracking()
            .Where(s => s.LastPulledAt == null || s.LastPulledAt <= pulledBefore).OrderBy(s => s.LastPulledAt).Select(s => new { s.Id, s.LastPulledAt }).ToListAsync(ct);
        var pulled = 0;
        foreach (var subscription in due)
        {
            // Claimed by moving LastPulledAt (lease), so two processes do not pull the same directory at once.
            if (await db.DirectorySubscriptions.Where(s => s.Id == subscription.Id && s.LastPulledAt == subscription.LastPulledAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastPulledAt, now - options.DirectoryPullInterval + Lease), ct) == 0)
            {
                continue;
            }
            await PullAsync(subscription.Id, ct);
            pulled++;
        }
        return pulled;
    }

    /// <summary>Reads one subscribed directory and brings this node's entries from it up to date.</summary>
    public async Task PullAsync(int subscriptionId, CancellationToken ct)
    {
        var subscription = await db.DirectorySubscriptions.SingleAsync(s => s.Id == subscriptionId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            subscription.CollectionUrl ??= await FindCollectionAsync(subscription.Url, ct);
            if (subscription.CollectionUrl is null)
            {
                subscription.LastError = "No shop directory found there (NodeInfo metadata.shopDirectory, or an OrderedCollection).";
            }
            else
            {
                await ReadAsync(subscription, now, ct);
            }
        }
        catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or JsonException or InvalidDataException
            or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Down, blocked or broken: its entries stay until it answers again (or their own actors go).
            ForgetUnsavedShops();
            subscription.LastError = Clip(e.Message);
            LogPullFailed(log, subscription.Url, e.Message);
        }
        subscription.LastPulledAt = now;
        await db.SaveChangesAsync(ct);
    }

    private async Task ReadAsync(DirectorySubscription subscription, DateTime now, CancellationToken ct)
    {
        var collection = subscription.CollectionUrl!;
        var (status, root, etag) = await remote.FetchJsonAsync(collection, subscription.ETag, ct);
        using (root)
        {
            if (status == HttpStatusCode.NotModified)
            {
                subscription.LastCompleteAt = now;
                subscription.LastError = null;
                return;
            }
            if (root is null)
            {
                throw new InvalidDataException($"The directory answered {(int)status}.");
            }
            var listed = await EntriesAsync(collection, root.RootElement, ct);
            var complete = await LearnAsync(subscription, listed, ct);
            // What this subscription added and the directory no longer lists leaves (a shop also listed by
            // another subscription comes back from that one's next full read).
            var gone = await db.KnownShops.Where(s => s.SubscriptionId == subscription.Id && s.Source == KnownShopSource.Directory)
                .Select(s => new { s.Id, s.ActorId }).ToListAsync(ct);
            var drop = gone.Where(s => !listed.Contains(s.ActorId)).Select(s => s.Id).ToList();
            if (drop.Count > 0)
            {
                await db.KnownShops.Where(s => drop.Contains(s.Id)).ExecuteDeleteAsync(ct);
                await db.DirectorySubscriptions.Where(s => s.Id != subscription.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ETag, (string?)null), ct);
            }
            subscription.Listed = listed.Count;
            subscription.LastCompleteAt = now;
            subscription.LastError = null;
            // Only a listing fully taken in may be skipped next time on a 304.
            subscription.ETag = complete ? etag : null;
        }
    }

    /// <summary>Every actor id the collection lists, following its pages on the collection's own origin.</summary>
    private async Task<HashSet<string>> EntriesAsync(string collection, JsonElement root, CancellationToken ct)
    {
        var origin = new Uri(collection).GetLeftPart(UriPartial.Authority);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        Take(root);
        var next = IdOf(root, "first");
        if (root.TryGetProperty("first", out var first) && first.ValueKind == JsonValueKind.Object)
        {
            Take(first);
            next = IdOf(first, "next");
        }
        for (var pages = 0; next is not null; pages++)
        {
            if (pages >= MaxPages || !next.StartsWith(origin + "/", StringComparison.Ordinal))
            {
                throw new InvalidDataException("The directory's pages run on too long or leave its node.");
            }
            var (status, page) = await remote.FetchJsonAsync(next, ct);
            using (page)
            {
                if (page is null)
                {
                    throw new InvalidDataException($"A directory page answered {(int)status}.");
                }
                Take(page.RootElement);
                next = IdOf(page.RootElement, "next");
            }
        }
        return listed;

        void Take(JsonElement page)
        {
            foreach (var name in (string[])["orderedItems", "items"])
            {
                if (!page.TryGetProperty(name, out var items) || items.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }
                foreach (var item in items.EnumerateArray())
                {
                    var id = item.ValueKind == JsonValueKind.String ? item.GetString() : item.ValueKind == JsonValueKind.Object ? IdOf(item, "id") : null;
                    if (FederationHttp.HostOf(id) is not null && id!.Length <= 500)
                    {
                        listed.Add(id);
                    }
                    if (listed.Count > MaxEntries)
                    {
                        throw new InvalidDataException($"The directory lists more than {MaxEntries} shops.");
                    }
                }
            }
        }
    }

    /// <summary>Learns the listed shops this node does not know yet, at most a batch per pull; true when none was left for later.</summary>
    private async Task<bool> LearnAsync(DirectorySubscription subscription, HashSet<string> listed, CancellationToken ct)
    {
        var known = (await db.KnownShops.AsNoTracking().Select(s => s.ActorId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var blocks = await NearbyQuery.BlocksAsync(db, ct);
        var learnt = 0;
        var complete = true;
        foreach (var actorId in listed.Where(id => !known.Contains(id) && !id.StartsWith(urls.Origin + "/", StringComparison.Ordinal)))
        {
            var host = FederationHttp.HostOf(actorId)!;
            if (blocks.Hides(new KnownShop { ActorId = actorId, Domain = host, Name = "", StorefrontUrl = "" }))
            {
                continue;
            }
            if (learnt >= options.BatchSize)
            {
                return false;
            }
            learnt++;
            try
            {
                await directory.LearnAsync(actorId, KnownShopSource.Directory, ct, subscription.Id);
            }
            catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or JsonException or DbUpdateException
                or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // Not reachable now (or learnt meanwhile by another path): tried again at the next full read.
                ForgetUnsavedShops();
                LogLearnFailed(log, actorId, e.Message);
                complete = false;
            }
        }
        return complete;
    }

    private void ForgetUnsavedShops()
    {
        foreach (var entry in db.ChangeTracker.Entries<KnownShop>().ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    /// <summary>The directory of what the operator named: the URL itself when it is a collection, else its node's NodeInfo link.</summary>
    private async Task<string?> FindCollectionAsync(string url, CancellationToken ct)
    {
        var origin = new Uri(url).GetLeftPart(UriPartial.Authority);
        if (url != origin)
        {
            using var document = await remote.GetJsonAsync(url, ct);
            return document is not null && IdOf(document.RootElement, "type") is "OrderedCollection" or "Collection" ? url : null;
        }
        using var links = await remote.GetJsonAsync(origin + "/.well-known/nodeinfo", ct);
        var nodeInfo = links is not null && links.RootElement.TryGetProperty("links", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.Object && IdOf(l, "rel")?.StartsWith("http://nodeinfo.diaspora.software/ns/schema/2.", StringComparison.Ordinal) == true)
                .Select(l => IdOf(l, "href")).FirstOrDefault(h => h?.StartsWith(origin + "/", StringComparison.Ordinal) == true)
            : null;
        if (nodeInfo is null)
        {
            return null;
        }
        using var info = await remote.GetJsonAsync(nodeInfo, ct);
        var found = info is not null && info.RootElement.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            ? IdOf(metadata, "shopDirectory") : null;
        // The directory of a node lives on that node.
        return found?.StartsWith(origin + "/", StringComparison.Ordinal) == true ? found : null;
    }

    private static string? IdOf(JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()
        : null;

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500];

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulling the directory {Url} failed: {Reason}")]
    private static partial void LogPullFailed(ILogger logger, string url, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not learn {ActorId} from a subscribed directory: {Reason}")]
    private static partial void LogLearnFailed(ILogger logger, string actorId, string reason);
}
