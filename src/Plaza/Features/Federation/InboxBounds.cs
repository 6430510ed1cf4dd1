using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Features.Federation;

/// <summary>
/// What keeps the inbox from being an amplifier or a disk filler for anyone who can sign: a rate per
/// key host (each key may cost fetches), only activities that concern this node are kept, and each
/// remote actor and host may store only so many a day.
/// </summary>
public sealed class InboxBounds(FederationOptions options) : IDisposable
{
    public const string AddressPolicy = "inbox";

    private readonly PartitionedRateLimiter<string> perKeyHost = PartitionedRateLimiter.Create<string, string>(host =>
        RateLimitPartition.GetFixedWindowLimiter(host, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.InboxPerKeyHostPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Takes one request from the key host's minute; false when the host has used it up.</summary>
    public bool TryAdmitKeyHost(string? keyId)
    {
        using var lease = perKeyHost.AttemptAcquire(FederationHttp.HostOf(keyId) ?? "unknown");
        return lease.IsAcquired;
    }

    /// <summary>
    /// True when the activity concerns a local actor: it is addressed to or acts on something of this node
    /// (a shop, its followers, a hub, a note or activity it sent), or it comes from an actor this node
    /// has a relationship with (followed, following, asking to follow, a hub member, a known shop).
    /// Anything else (a public post of a stranger, spam addressed to nobody here) is not kept.
    /// </summary>
    public static async Task<bool> ConcernsThisNodeAsync(PlazaDb db, ActorUrls urls, Activity activity, string actorId, CancellationToken ct)
    {
        var local = urls.Origin + "/";
        if (MentionedIris(activity).Any(iri => iri.StartsWith(local, StringComparison.Ordinal)))
        {
            return true;
        }
        return await db.Followings.IgnoreQueryFilters([PlazaDb.ShopFilter]).AnyAsync(f => f.ActorId == actorId, ct)
            || await db.Followers.IgnoreQueryFilters([PlazaDb.ShopFilter]).AnyAsync(f => f.ActorId == actorId, ct)
            || await db.PendingFollowers.IgnoreQueryFilters([PlazaDb.ShopFilter]).AnyAsync(f => f.ActorId == actorId, ct)
            || await db.HubMembers.AnyAsync(m => m.ActorId == actorId, ct)
            || await db.KnownShops.AnyAsync(s => s.ActorId == actorId, ct);
    }

    private static IEnumerable<string> MentionedIris(AsObject document, int depth = 0)
    {
        foreach (var list in new[] { document.To, document.Cc, document.Audience })
        {
            foreach (var item in list ?? Enumerable.Empty<LinkOrObject>())
            {
                if (item.Id is { } id)
                {
                    yield return id;
                }
            }
        }
        if (document.InReplyTo?.Id is { } replyTo)
        {
            yield return replyTo;
        }
        if (document is not Activity activity || depth > 2)
        {
            yield break;
        }
        foreach (var item in (activity.Object ?? Enumerable.Empty<LinkOrObject>()).Concat(activity.Target ?? Enumerable.Empty<LinkOrObject>()))
        {
            if (item.Id is { } id)
            {
                yield return id;
            }
            if (item.Embedded is { } embedded)
            {
                // Undo(Follow(shop)), Create(Note in reply to a promotion), Accept(our Follow).
                foreach (var inner in MentionedIris(embedded, depth + 1))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>
    /// The refusal when the actor or its host has stored its daily share, otherwise null. Counted in the
    /// store, so every app process on one database holds the same limit.
    /// </summary>
    public async Task<string?> DailyShareUsedAsync(PlazaDb db, string actorId, string host, DateTime now, CancellationToken ct)
    {
        var since = now.AddDays(-1);
        if (await db.InboxActivities.CountAsync(a => a.ActorId == actorId && a.ReceivedAt > since, ct) >= options.InboxPerActorPerDay)
        {
            return $"This node keeps at most {options.InboxPerActorPerDay} activities a day from one account.";
        }
        if (await db.InboxActivities.CountAsync(a => a.ActorHost == host && a.ReceivedAt > since, ct) >= options.InboxPerHostPerDay)
        {
            return $"This node keeps at most {options.InboxPerHostPerDay} activities a day from one server.";
        }
        return null;
    }

    /// <summary>Deletes processed activities older than <see cref="FederationOptions.InboxRetention"/>; returns how many.</summary>
    public static Task<int> PruneAsync(PlazaDb db, FederationOptions options, DateTime now, CancellationToken ct)
    {
        var before = now - options.InboxRetention;
        return db.InboxActivities.Where(a => a.ProcessedAt != null && a.ReceivedAt < before).ExecuteDeleteAsync(ct);
    }

    public void Dispose() => perKeyHost.Dispose();
}
