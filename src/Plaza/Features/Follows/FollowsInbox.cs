using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;

namespace Plaza.Features.Follows;

/// <summary>
/// Follows as they arrive: Follow → follower and Accept (or held for the owner), Undo(Follow) → unfollow,
/// Accept/Reject of the shops' own follows, Delete of an actor → its follows and cached document gone.
/// </summary>
public sealed class FollowsInbox : IInboxHandler
{
    public async Task<bool> HandleAsync(InboxContext context, CancellationToken ct)
    {
        var (services, db, row, now) = (context.Services, context.Db, context.Row, context.Now);
        var urls = services.GetRequiredService<ActorUrls>();
        var target = context.Target;
        switch (row.Type)
        {
            case "Follow":
                {
                    var shop = await ShopAsync(db, urls.ShopSlugOf(target?.Id), ct);
                    if (shop is null)
                    {
                        return true;
                    }
                    // From here on, the followed shop's rows only, as in a request for that shop.
                    services.GetRequiredService<ShopScope>().Enter(shop);
                    if (await db.ShopBlocks.AnyAsync(b => b.ActorId == row.ActorId, ct))
                    {
                        // The owner blocked this actor: its Follow is dropped without an answer, as Mastodon does.
                        return true;
                    }
                    var remote = await services.GetRequiredService<RemoteActors>().GetAsync(row.ActorId, ct)
                        ?? throw new InvalidOperationException($"The follower {row.ActorId} cannot be fetched.");
                    var follower = await db.Followers.FirstOrDefaultAsync(f => f.ActorId == row.ActorId, ct);
                    if (follower is null && await db.FollowerPolicies.AnyAsync(p => p.ManuallyApprovesFollowers, ct))
                    {
                        // Held for the owner; the Accept or Reject goes out when they decide.
                        var pending = await db.PendingFollowers.FirstOrDefaultAsync(p => p.ActorId == row.ActorId, ct);
                        if (pending is null)
                        {
                            pending = new PendingFollower { ShopId = shop.Id, ActorId = row.ActorId, Inbox = remote.Inbox, FollowActivityId = row.ActivityId, FollowPayload = row.Payload, RequestedAt = now };
                            db.PendingFollowers.Add(pending);
                        }
                        (pending.Inbox, pending.SharedInbox, pending.FollowActivityId, pending.FollowPayload) = (remote.Inbox, remote.SharedInbox, row.ActivityId, row.Payload);
                        await db.SaveChangesAsync(ct);
                        return true;
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
                    return true;
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
                    return true;
                }
            case "Accept" or "Reject" when target?.Id is { } followId:
                {
                    var following = await db.Followings.IgnoreQueryFilters([PlazaDb.ShopFilter])
                        .FirstOrDefaultAsync(f => f.FollowActivityId == followId && f.ActorId == row.ActorId, ct);
                    if (following is null)
                    {
                        return true;
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
                    // Not wholly ours: an accepted follow also teaches the nearby directory.
                    return false;
                }
            case "Delete" when target?.Id == row.ActorId:
                // The account is gone: so are its follows.
                await db.Followers.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(f => f.ActorId == row.ActorId).ExecuteDeleteAsync(ct);
                await db.Followings.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(f => f.ActorId == row.ActorId).ExecuteDeleteAsync(ct);
                await db.PendingFollowers.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(f => f.ActorId == row.ActorId).ExecuteDeleteAsync(ct);
                await db.RemoteActors.Where(a => a.ActorId == row.ActorId).ExecuteDeleteAsync(ct);
                return true;
            default:
                return false;
        }
    }

    private static Task<Shop?> ShopAsync(PlazaDb db, string? slug, CancellationToken ct) =>
        slug is null ? Task.FromResult<Shop?>(null) : db.Shops.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug, ct);
}
