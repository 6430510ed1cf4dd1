using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Federation;

namespace Plaza.Features.Follows;

/// <summary>
/// Who follows the shop on the fediverse: remove or block a follower, and, when the owner approves
/// followers by hand, the requests waiting for an answer. Every answer goes out through the delivery outbox.
/// </summary>
[OwnerOnly]
public sealed class FollowersModel(PlazaDb db, ShopScope scope, Documents documents, TimeProvider clock, FederationSignal signal) : PageModel
{
    public sealed record Row(long Id, string ActorId, DateTime Since);

    public List<Row> Followers { get; private set; } = [];
    public List<Row> Pending { get; private set; } = [];
    public List<Row> Blocked { get; private set; } = [];
    public bool ManuallyApprovesFollowers { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Followers = await db.Followers.AsNoTracking().OrderByDescending(f => f.FollowedAt).Take(500)
            .Select(f => new Row(f.Id, f.ActorId, f.FollowedAt)).ToListAsync(ct);
        Pending = await db.PendingFollowers.AsNoTracking().OrderBy(p => p.RequestedAt)
            .Select(p => new Row(p.Id, p.ActorId, p.RequestedAt)).ToListAsync(ct);
        Blocked = await db.ShopBlocks.AsNoTracking().OrderByDescending(b => b.BlockedAt)
            .Select(b => new Row(b.Id, b.ActorId, b.BlockedAt)).ToListAsync(ct);
        ManuallyApprovesFollowers = await db.FollowerPolicies.AsNoTracking().AnyAsync(p => p.ManuallyApprovesFollowers, ct);
    }

    public async Task<IActionResult> OnPostPolicyAsync(bool manual, CancellationToken ct)
    {
        var policy = await db.FollowerPolicies.FirstOrDefaultAsync(ct);
        if (policy is null)
        {
            db.FollowerPolicies.Add(new FollowerPolicy { ShopId = scope.ShopId, ManuallyApprovesFollowers = manual });
        }
        else
        {
            policy.ManuallyApprovesFollowers = manual;
        }
        await db.SaveChangesAsync(ct);
        return Back();
    }

    /// <summary>Ends a follow: a Reject of it tells the follower's server (Mastodon then drops the follow).</summary>
    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken ct)
    {
        var follower = await db.Followers.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (follower is null)
        {
            return NotFound();
        }
        RejectAndForget(follower);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return Back();
    }

    /// <summary>Removes the follower and refuses its Follows to this shop from now on.</summary>
    public async Task<IActionResult> OnPostBlockAsync(long id, CancellationToken ct)
    {
        var follower = await db.Followers.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (follower is null)
        {
            return NotFound();
        }
        RejectAndForget(follower);
        await BlockAsync(follower.ActorId, ct);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return Back();
    }

    public async Task<IActionResult> OnPostApproveAsync(long id, CancellationToken ct)
    {
        var pending = await db.PendingFollowers.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (pending is null)
        {
            return NotFound();
        }
        var shop = scope.Current;
        var now = clock.GetUtcNow().UtcDateTime;
        db.PendingFollowers.Remove(pending);
        if (!await db.Followers.AnyAsync(f => f.ActorId == pending.ActorId, ct))
        {
            db.Followers.Add(new Follower
            {
                ShopId = shop.Id,
                ActorId = pending.ActorId,
                Inbox = pending.Inbox,
                SharedInbox = pending.SharedInbox,
                FollowActivityId = pending.FollowActivityId,
                FollowedAt = now,
            });
        }
        var accept = documents.Accept(shop, LinkOrObject.AsReceived(pending.FollowPayload), pending.ActorId);
        Outbox.Enqueue(db, shop, accept.Id!, accept, [pending.Inbox], now);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return Back();
    }

    public async Task<IActionResult> OnPostRejectAsync(long id, bool block, CancellationToken ct)
    {
        var pending = await db.PendingFollowers.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (pending is null)
        {
            return NotFound();
        }
        var shop = scope.Current;
        db.PendingFollowers.Remove(pending);
        var reject = documents.Reject(shop, LinkOrObject.AsReceived(pending.FollowPayload), pending.ActorId);
        Outbox.Enqueue(db, shop, reject.Id!, reject, [pending.Inbox], clock.GetUtcNow().UtcDateTime);
        if (block)
        {
            await BlockAsync(pending.ActorId, ct);
        }
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return Back();
    }

    public async Task<IActionResult> OnPostUnblockAsync(long id, CancellationToken ct)
    {
        var removed = await db.ShopBlocks.Where(b => b.Id == id).ExecuteDeleteAsync(ct);
        return removed == 0 ? NotFound() : Back();
    }

    private void RejectAndForget(Follower follower)
    {
        var shop = scope.Current;
        var reject = documents.Reject(shop, new LinkOrObject(documents.FollowOf(shop, follower.ActorId, follower.FollowActivityId)), follower.ActorId);
        // Queued in the same SaveChanges as the removal, so the follower's server hears of it exactly when it happens.
        Outbox.Enqueue(db, shop, reject.Id!, reject, [follower.Inbox], clock.GetUtcNow().UtcDateTime);
        db.Followers.Remove(follower);
    }

    private async Task BlockAsync(string actorId, CancellationToken ct)
    {
        await db.PendingFollowers.Where(p => p.ActorId == actorId).ExecuteDeleteAsync(ct);
        if (!await db.ShopBlocks.AnyAsync(b => b.ActorId == actorId, ct))
        {
            db.ShopBlocks.Add(new ShopBlock { ShopId = scope.ShopId, ActorId = actorId, BlockedAt = clock.GetUtcNow().UtcDateTime });
        }
    }

    private RedirectResult Back() => Redirect($"/console/{scope.Current.Slug}/followers");
}
