using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Moderation;

/// <summary>
/// The operator's blocks, node-wide: a blocked domain (with its subdomains) or actor loses every
/// follow in either direction, its stored inbox activities and its directory entries, and from then
/// on the inbox refuses it and nothing is fetched from or delivered to it (<see cref="RemoteActors.IsBlockedAsync"/>).
/// </summary>
public sealed class NodeModeration(PlazaDb db, TimeProvider clock)
{
    public sealed record Removed(int Followers, int Follows, int Activities, int DirectoryEntries);

    public async Task<Removed> BlockDomainAsync(string domain, string? reason, CancellationToken ct)
    {
        domain = NormalizeDomain(domain);
        if (!await db.BlockedDomains.AnyAsync(d => d.Domain == domain, ct))
        {
            db.BlockedDomains.Add(new BlockedDomain { Domain = domain, Reason = Clip(reason), BlockedAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(ct);
        }
        return await PurgeAsync(id => FederationHttp.HostOf(id) is { } host && (host == domain || host.EndsWith("." + domain, StringComparison.Ordinal)), domain, ct);
    }

    public async Task<bool> UnblockDomainAsync(string domain, CancellationToken ct)
    {
        domain = NormalizeDomain(domain);
        return await db.BlockedDomains.Where(d => d.Domain == domain).ExecuteDeleteAsync(ct) > 0;
    }

    public async Task<Removed> BlockActorAsync(string actorId, string? reason, CancellationToken ct)
    {
        if (!await db.BlockedActors.AnyAsync(a => a.ActorId == actorId, ct))
        {
            db.BlockedActors.Add(new BlockedActor { ActorId = actorId, Reason = Clip(reason), BlockedAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(ct);
        }
        return await PurgeAsync(id => id == actorId, actorId, ct);
    }

    public async Task<bool> UnblockActorAsync(string actorId, CancellationToken ct) =>
        await db.BlockedActors.Where(a => a.ActorId == actorId).ExecuteDeleteAsync(ct) > 0;

    public sealed record Block(bool IsDomain, string Target, string? Reason, DateTime BlockedAt);

    /// <summary>Every block, domains first, each kind in name order.</summary>
    public async Task<List<Block>> ListAsync(CancellationToken ct) =>
    [
        .. await db.BlockedDomains.AsNoTracking().OrderBy(d => d.Domain).Select(d => new Block(true, d.Domain, d.Reason, d.BlockedAt)).ToListAsync(ct),
        .. await db.BlockedActors.AsNoTracking().OrderBy(a => a.ActorId).Select(a => new Block(false, a.ActorId, a.Reason, a.BlockedAt)).ToListAsync(ct),
    ];

    /// <summary>An actor id the operator may block: an absolute http(s) URL.</summary>
    public static bool IsActorId(string id) =>
        Uri.TryCreate(id, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>A plain host name (IDN in its ASCII form), or an exception the command reports.</summary>
    public static string NormalizeDomain(string domain)
    {
        domain = domain.Trim().TrimEnd('.').ToLowerInvariant();
        var kind = Uri.CheckHostName(domain);
        if (kind is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6) || domain.Length > 253)
        {
            throw new ArgumentException($"'{domain}' is not a domain name.", nameof(domain));
        }
        // Blocks name a host without a port, as FederationHttp.HostOf gives it (an IP literal as it is).
        return kind == UriHostNameType.Dns ? new System.Globalization.IdnMapping().GetAscii(domain) : domain;
    }

    // The rows are narrowed in the store by a substring and matched exactly here, which is the same on both stores.
    private async Task<Removed> PurgeAsync(Func<string, bool> matches, string needle, CancellationToken ct)
    {
        var followers = (await db.Followers.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(f => f.ActorId.Contains(needle)).ToListAsync(ct))
            .Where(f => matches(f.ActorId)).ToList();
        var pending = (await db.PendingFollowers.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(f => f.ActorId.Contains(needle)).ToListAsync(ct))
            .Where(f => matches(f.ActorId)).ToList();
        var follows = (await db.Followings.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(f => f.ActorId.Contains(needle)).ToListAsync(ct))
            .Where(f => matches(f.ActorId)).ToList();
        var activities = (await db.InboxActivities.Where(a => a.ActorId.Contains(needle)).ToListAsync(ct))
            .Where(a => matches(a.ActorId)).ToList();
        var actors = (await db.RemoteActors.Where(a => a.ActorId.Contains(needle)).ToListAsync(ct))
            .Where(a => matches(a.ActorId)).ToList();
        var shops = (await db.KnownShops.Where(s => s.ActorId.Contains(needle)).ToListAsync(ct))
            .Where(s => matches(s.ActorId)).ToList();
        db.Followers.RemoveRange(followers);
        db.PendingFollowers.RemoveRange(pending);
        db.Followings.RemoveRange(follows);
        db.InboxActivities.RemoveRange(activities);
        db.RemoteActors.RemoveRange(actors);
        db.KnownShops.RemoveRange(shops);
        await db.SaveChangesAsync(ct);
        return new Removed(followers.Count + pending.Count, follows.Count, activities.Count, shops.Count);
    }

    private static string? Clip(string? reason) => reason is null ? null : reason.Length > 500 ? reason[..500] : reason;
}
