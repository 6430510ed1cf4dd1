using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.Discovery;
using Plaza.Features.Federation;

namespace Plaza.Features.Follows;

/// <summary>
/// Whom the shop in scope follows: follow and unfollow remote actors (shops, people, hubs).
/// The API (owner token) and the console (owner sign-in) both call this.
/// </summary>
public sealed class FollowActions(PlazaDb db, ShopScope scope, Documents documents, ActorUrls urls, RemoteActors actors, TimeProvider clock, FederationSignal signal)
{
    public sealed record Followed(FollowingResponse? Following, Dictionary<string, string[]> Errors, string? Refusal);

    /// <summary>Sends a Follow to the actor named by <paramref name="account"/> (acct:user@host, user@host or a URL).</summary>
    /// <remarks>Joining a hub (FEP-1b12) is following its Group actor; <paramref name="isHub"/> lists it among the shop's hubs.</remarks>
    public async Task<Followed> FollowAsync(string? account, CancellationToken ct, bool isHub = false)
    {
        account = account?.Trim() ?? "";
        string? actorId;
        try
        {
            actorId = AcctUri.TryParse(account, out var acct) ? await actors.WebFingerAsync(acct, ct)
                : Uri.TryCreate(account, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? account
                : null;
        }
        catch (RemoteFetchRefusedException e)
        {
            return new Followed(null, [], e.Message);
        }
        catch (HttpRequestException)
        {
            actorId = null;
        }
        if (actorId is not null && await actors.IsBlockedAsync(actorId, ct))
        {
            return new Followed(null, [], Text.Say("This node blocks that account or its server."));
        }
        var remote = actorId is null ? null : await TryGetAsync(actorId, ct);
        if (remote is null)
        {
            return new Followed(null, new() { ["account"] = [Text.Say("No reachable ActivityPub actor answers to that name.")] }, null);
        }
        var shop = scope.Current;
        var existing = await db.Followings.FirstOrDefaultAsync(f => f.ActorId == remote.ActorId, ct);
        if (existing is not null)
        {
            if (isHub && !existing.IsHub)
            {
                existing.IsHub = true;
                await db.SaveChangesAsync(ct);
            }
            return new Followed(new FollowingResponse(existing.ActorId, existing.FollowActivityId, existing.Accepted), [], null);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // A fresh id for every Follow, so a later Accept names exactly this request.
        var followId = urls.Activity(shop.Slug, "follow", Guid.NewGuid());
        db.Followings.Add(new Following { ShopId = shop.Id, ActorId = remote.ActorId, FollowActivityId = followId, RequestedAt = now, IsHub = isHub });
        Outbox.Enqueue(db, shop, followId, documents.Follow(shop, followId, remote.ActorId), [remote.Inbox], now);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return new Followed(new FollowingResponse(remote.ActorId, followId, false), [], null);
    }

    /// <summary>
    /// Stops following <paramref name="actorId"/> (a shop, or a hub the shop leaves): Undo of the Follow to
    /// its inbox. False when the shop does not follow it.
    /// </summary>
    public async Task<bool> UnfollowAsync(string actorId, CancellationToken ct)
    {
        var following = await db.Followings.FirstOrDefaultAsync(f => f.ActorId == actorId, ct);
        if (following is null)
        {
            return false;
        }
        var shop = scope.Current;
        db.Followings.Remove(following);
        var remote = await TryGetAsync(actorId, ct);
        if (remote is not null)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var undo = documents.UndoFollow(shop, following.FollowActivityId, actorId);
            Outbox.Enqueue(db, shop, undo.Id!, undo, [remote.Inbox], now);
        }
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return true;
    }

    public Task<List<FollowingResponse>> ListFollowingAsync(CancellationToken ct) =>
        db.Followings.AsNoTracking().OrderByDescending(f => f.Id)
            .Select(f => new FollowingResponse(f.ActorId, f.FollowActivityId, f.Accepted)).ToListAsync(ct);

    private async Task<RemoteActor?> TryGetAsync(string actorId, CancellationToken ct)
    {
        try
        {
            return await actors.GetAsync(actorId, ct);
        }
        catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or System.Text.Json.JsonException or TaskCanceledException)
        {
            return null;
        }
    }
}
