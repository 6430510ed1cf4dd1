using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Features.Federation;

/// <summary>
/// Acts on stored inbox activities: Follow → follower and Accept, Undo(Follow) → unfollow,
/// Accept/Reject of the shops' own follows, Delete of an actor → its follows gone.
/// Rows are claimed with a lease (a conditional UPDATE), so several processes on one
/// PostgreSQL never act on the same activity twice, and SQLite needs no SKIP LOCKED.
/// </summary>
public sealed partial class InboxWorker(
    IServiceScopeFactory scopes, FederationSignal signal, FederationOptions options, TimeProvider clock, ILogger<InboxWorker> log)
    : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);
    private const int MaxAttempts = 5;
    private DateTime nextPrune = DateTime.MinValue;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        WorkLoop.RunAsync(ProcessBatchAsync, signal.WaitForInboxAsync, options.PollInterval, clock, e => LogLoopFailed(log, e), stoppingToken);

    /// <summary>Claims and processes one batch; returns how many rows it handled.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken ct)
    {
        List<long> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var now = clock.GetUtcNow().UtcDateTime;
            if (now >= nextPrune)
            {
                // Hourly; more often only where the operator keeps activities for less than an hour.
                nextPrune = now + (options.InboxRetention < PruneEvery ? options.InboxRetention : PruneEvery);
                await InboxBounds.PruneAsync(db, options, now, ct);
            }
            var owner = Guid.NewGuid();
            var candidates = await db.InboxActivities
                .Where(a => a.ProcessedAt == null && (a.LeaseUntil == null || a.LeaseUntil < now))
                .OrderBy(a => a.Id).Select(a => a.Id).Take(20).ToListAsync(ct);
            if (candidates.Count == 0)
            {
                return 0;
            }
            await db.InboxActivities
                .Where(a => candidates.Contains(a.Id) && a.ProcessedAt == null && (a.LeaseUntil == null || a.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LeaseOwner, owner).SetProperty(a => a.LeaseUntil, now + Lease), ct);
            claimed = await db.InboxActivities.Where(a => a.LeaseOwner == owner && candidates.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        }
        foreach (var id in claimed)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var row = await db.InboxActivities.SingleAsync(a => a.Id == id, ct);
            try
            {
                await HandleAsync(scope.ServiceProvider, db, row, ct);
                row.ProcessedAt = clock.GetUtcNow().UtcDateTime;
                row.Error = null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogActivityFailed(log, row.ActivityId, e);
                db.ChangeTracker.Clear();
                db.Attach(row);
                row.Attempts++;
                row.Error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
                var now = clock.GetUtcNow().UtcDateTime;
                if (row.Attempts >= MaxAttempts)
                {
                    row.ProcessedAt = now;
                }
                else
                {
                    row.LeaseUntil = now + (options.FirstRetryDelay * Math.Pow(2, row.Attempts - 1));
                }
            }
            row.LeaseOwner = null;
            await db.SaveChangesAsync(ct);
        }
        return claimed.Count;
    }

    private async Task HandleAsync(IServiceProvider services, PlazaDb db, InboxActivity row, CancellationToken ct)
    {
        var urls = services.GetRequiredService<ActorUrls>();
        var activity = (Activity)ActivityStreamsJson.Parse(row.Payload);
        var target = activity.Object?.First;
        var now = clock.GetUtcNow().UtcDateTime;
        if (await Hubs.HubActivities.HandleAsync(services, db, row, activity, ct))
        {
            return;
        }
        switch (row.Type)
        {
            case "Follow":
                {
                    var shop = await ShopAsync(db, urls.ShopSlugOf(target?.Id), ct);
                    if (shop is null)
                    {
                        return;
                    }
                    if (await db.ShopBlocks.IgnoreQueryFilters([PlazaDb.ShopFilter]).AnyAsync(b => b.ShopId == shop.Id && b.ActorId == row.ActorId, ct))
                    {
                        // The owner blocked this actor: its Follow is dropped without an answer, as Mastodon does.
                        return;
                    }
                    var remote = await services.GetRequiredService<RemoteActors>().GetAsync(row.ActorId, ct)
                        ?? throw new InvalidOperationException($"The follower {row.ActorId} cannot be fetched.");
                    var follower = await db.Followers.IgnoreQueryFilters([PlazaDb.ShopFilter])
                        .FirstOrDefaultAsync(f => f.ShopId == shop.Id && f.ActorId == row.ActorId, ct);
                    if (follower is null && await db.FollowerPolicies.IgnoreQueryFilters([PlazaDb.ShopFilter]).AnyAsync(p => p.ShopId == shop.Id && p.ManuallyApprovesFollowers, ct))
                    {
                        // Held for the owner; the Accept or Reject goes out when they decide.
                        var pending = await db.PendingFollowers.IgnoreQueryFilters([PlazaDb.ShopFilter])
                            .FirstOrDefaultAsync(p => p.ShopId == shop.Id && p.ActorId == row.ActorId, ct);
                        if (pending is null)
                        {
                            pending = new PendingFollower { ShopId = shop.Id, ActorId = row.ActorId, Inbox = remote.Inbox, FollowActivityId = row.ActivityId, FollowPayload = row.Payload, RequestedAt = now };
                            db.PendingFollowers.Add(pending);
                        }
                        (pending.Inbox, pending.SharedInbox, pending.FollowActivityId, pending.FollowPayload) = (remote.Inbox, remote.SharedInbox, row.ActivityId, row.Payload);
                        await db.SaveChangesAsync(ct);
                        return;
                    }
                    if (follower is null)
                    {
                        follower = new Follower { ShopId = shop.Id, ActorId = row.ActorId, Inbox = remote.Inbox, FollowedAt = now };
                        db.Followers.Add(follower);
                    }
                    follower.Inbox = remote.Inbox;
                    follower.SharedInbox = remote.SharedInbox;
                    follower.FollowActivityId = row.ActivityId;
                    // Auto-accept; the Accept is queued in the same transaction as the follower row.
                    var documents = services.GetRequiredService<Documents>();
                    var accept = documents.Accept(shop, LinkOrObject.AsReceived(row.Payload), row.ActorId);
                    Outbox.Enqueue(db, shop, accept.Id!, accept, [remote.Inbox], now);
                    await db.SaveChangesAsync(ct);
                    services.GetRequiredService<FederationSignal>().DeliveriesQueued();
                    return;
                }
            case "Undo" when target is not null:
                {
                    var undone = target.Id;
                    var followOfShop = target.Embedded is Activity { } inner && inner.IsOfType("Follow") ? urls.ShopSlugOf(inner.Object?.First?.Id) : null;
                    var shop = await ShopAsync(db, followOfShop, ct);
                    await db.Followers.IgnoreQueryFilters([PlazaDb.ShopFilter])
                        .Where(f => f.ActorId == row.ActorId && (f.FollowActivityId == undone || (shop != null && f.ShopId == shop.Id)))
                        .ExecuteDeleteAsync(ct);
                    await db.PendingFollowers.IgnoreQueryFilters([PlazaDb.ShopFilter])
                        .Where(f => f.ActorId == row.ActorId && (f.FollowActivityId == undone || (shop != null && f.ShopId == shop.Id)))
                        .ExecuteDeleteAsync(ct);
                    return;
                }
            case "Accept" or "Reject" when target?.Id is { } followId:
                {
                    var following = await db.Followings.IgnoreQueryFilters([PlazaDb.ShopFilter])
                        .FirstOrDefaultAsync(f => f.FollowActivityId == followId && f.ActorId == row.ActorId, ct);
                    if (following is null)
                    {
                        return;
                    }
                    if (row.Type == "Accept")
                    {
                        following.Accepted = true;
                        following.AcceptedAt = now;
                    }
                    else
                    {
                        db.Followings.Remove(following);
                    }
                    await db.SaveChangesAsync(ct);
                    if (row.Type == "Accept")
                    {
                        // A followed shop joins this node's nearby directory (a person or bot simply is not listed).
                        await services.GetRequiredService<Nearby.ShopDirectory>().LearnAsync(following.ActorId, Nearby.KnownShopSource.Followed, ct);
                    }
                    return;
                }
            case "Delete" when target?.Id == row.ActorId:
                // The account is gone: so are its follows.
                await db.Followers.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(f => f.ActorId == row.ActorId).ExecuteDeleteAsync(ct);
                await db.Followings.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(f => f.ActorId == row.ActorId).ExecuteDeleteAsync(ct);
                await db.PendingFollowers.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(f => f.ActorId == row.ActorId).ExecuteDeleteAsync(ct);
                await db.RemoteActors.Where(a => a.ActorId == row.ActorId).ExecuteDeleteAsync(ct);
                return;
            case "Flag":
                await services.GetRequiredService<Moderation.Reports>().ReceiveFlagAsync(
                    row.ActorId, activity.Object?.Select(o => o.Id) ?? [], activity.Content, ct);
                return;
            default:
                // Create, Like, Announce…: kept as received; later issues act on them.
                return;
        }
    }

    private static Task<Catalog.Shop?> ShopAsync(PlazaDb db, string? slug, CancellationToken ct) =>
        slug is null ? Task.FromResult<Catalog.Shop?>(null) : db.Shops.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug, ct);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbox worker loop failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing activity {ActivityId} failed")]
    private static partial void LogActivityFailed(ILogger logger, string activityId, Exception exception);
}
