using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.Discovery;

namespace Plaza.Features.Federation;

/// <summary>
/// What an owner does with federation, for the shop in scope: post and take down promotions,
/// follow other actors. The API (staff token) and the console (owner sign-in) both call this.
/// </summary>
public sealed class Publishing(
    PlazaDb db, ShopScope scope, Documents documents, ActorUrls urls, RemoteActors actors, TimeProvider clock, FederationSignal signal)
{
    public sealed record Posted(Promotion? Promotion, Dictionary<string, string[]> Errors, int Queued);

    public sealed record Followed(FollowingResponse? Following, Dictionary<string, string[]> Errors, string? Refusal);

    public async Task<Posted> PostPromotionAsync(string? text, string? link, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        text = text?.Trim() ?? "";
        link = string.IsNullOrWhiteSpace(link) ? null : link.Trim();
        if (text.Length is 0 or > 5000)
        {
            errors["text"] = ["Write between 1 and 5000 characters."];
        }
        if (link is not null && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || link.Length > 2048))
        {
            errors["link"] = ["The link must be an absolute http(s) URL."];
        }
        if (errors.Count > 0)
        {
            return new Posted(null, errors, 0);
        }
        var shop = scope.Current;
        var now = clock.GetUtcNow().UtcDateTime;
        var promotion = new Promotion
        {
            ShopId = shop.Id,
            Text = text,
            Link = link,
            PublishedAt = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc),
        };
        var followers = await db.Followers.AsNoTracking().ToListAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Promotions.Add(promotion);
        await db.SaveChangesAsync(ct); // the Note's id is the row's id
        var create = documents.CreateNote(shop, promotion);
        var queued = Outbox.Enqueue(db, shop, create["id"]!.GetValue<string>(), create, Outbox.InboxesOf(followers), now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signal.DeliveriesQueued();
        return new Posted(promotion, errors, queued);
    }

    /// <summary>The shop's live promotions, newest first, each with how its deliveries stand.</summary>
    public async Task<List<PromotionResponse>> ListPromotionsAsync(CancellationToken ct)
    {
        var slug = scope.Current.Slug;
        var promotions = await db.Promotions.AsNoTracking().Where(p => p.DeletedAt == null).OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id).Take(100).ToListAsync(ct);
        var activityIds = promotions.Select(p => urls.Note(slug, p.Id) + "/activity").ToList();
        var states = await db.Deliveries.AsNoTracking().Where(d => activityIds.Contains(d.ActivityId))
            .GroupBy(d => d.ActivityId)
            .Select(g => new
            {
                ActivityId = g.Key,
                Delivered = g.Count(d => d.DeliveredAt != null),
                Failed = g.Count(d => d.FailedAt != null),
                Total = g.Count(),
            })
            .ToDictionaryAsync(s => s.ActivityId, ct);
        return [.. promotions.Select(p =>
        {
            var state = states.GetValueOrDefault(urls.Note(slug, p.Id) + "/activity");
            var counts = state is null ? new DeliveryCounts(0, 0, 0) : new DeliveryCounts(state.Total - state.Delivered - state.Failed, state.Delivered, state.Failed);
            return new PromotionResponse(p.Id, urls.Note(slug, p.Id), p.Text, p.Link, new DateTimeOffset(p.PublishedAt), counts);
        })];
    }

    /// <summary>Takes a promotion down (idempotent); false when the shop has no such promotion.</summary>
    public async Task<bool> TakeDownAsync(long id, CancellationToken ct)
    {
        var promotion = await db.Promotions.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (promotion is null)
        {
            return false;
        }
        if (promotion.DeletedAt is not null)
        {
            return true;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        promotion.DeletedAt = now;
        var shop = scope.Current;
        var followers = await db.Followers.AsNoTracking().ToListAsync(ct);
        var delete = documents.DeleteNote(shop, promotion);
        // Queued with the change in one SaveChanges, so a crash can't leave followers with a post the shop took down.
        Outbox.Enqueue(db, shop, delete["id"]!.GetValue<string>(), delete, Outbox.InboxesOf(followers), now);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return true;
    }

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
            return new Followed(null, [], "This node blocks that account or its server.");
        }
        var remote = actorId is null ? null : await TryGetAsync(actorId, ct);
        if (remote is null)
        {
            return new Followed(null, new() { ["account"] = ["No reachable ActivityPub actor answers to that name."] }, null);
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
            Outbox.Enqueue(db, shop, undo["id"]!.GetValue<string>(), undo, [remote.Inbox], now);
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
