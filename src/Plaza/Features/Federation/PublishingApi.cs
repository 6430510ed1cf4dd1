using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;
using Plaza.Federation.Discovery;

namespace Plaza.Features.Federation;

public sealed record PostPromotionRequest(
    [property: Description("The text followers see; blank lines separate paragraphs.")] string? Text,
    [property: Description("Optional link (storefront, an item); defaults to the storefront.")] string? Link);

public sealed record PromotionResponse(long Id, string Url, string Text, string? Link, DateTimeOffset PublishedAt, DeliveryCounts Deliveries);

public sealed record DeliveryCounts(int Pending, int Delivered, int Failed);

public sealed record FollowRequest([property: Description("acct:user@host, user@host, or an actor URL.")] string? Account);

public sealed record FollowingResponse(string Actor, string FollowId, bool Accepted);

/// <summary>
/// What an owner does with federation: post a promotion to followers, follow another actor.
/// Behind the staff token until the console's sign-in replaces it.
/// </summary>
public static class PublishingApi
{
    public static RouteGroupBuilder MapPublishingApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapPost("/promotions", PostPromotion).RequireStaffToken()
            .WithName("PostPromotion").WithSummary("Publishes a promotion as a Note and delivers Create(Note) to every follower's server.");
        shopGroup.MapGet("/promotions", ListPromotions).RequireStaffToken()
            .WithName("ListPromotions").WithSummary("The shop's promotions, newest first, with their delivery state.");
        shopGroup.MapDelete("/promotions/{id:long}", DeletePromotion).RequireStaffToken()
            .WithName("DeletePromotion").WithSummary("Takes a promotion down: its Note answers 410 and Delete goes to every follower's server.");
        shopGroup.MapPost("/following", Follow).RequireStaffToken()
            .WithName("FollowActor").WithSummary("Makes the shop follow a remote actor; the answer arrives later (see GET).");
        shopGroup.MapGet("/following", ListFollowing).RequireStaffToken()
            .WithName("ListFollowing").WithSummary("Actors the shop follows or asked to follow.");
        return shopGroup;
    }

    private static async Task<Results<Created<PromotionResponse>, ProblemHttpResult>> PostPromotion(
        PostPromotionRequest request, ShopScope scope, PlazaDb db, Documents documents, ActorUrls urls, TimeProvider clock,
        FederationSignal signal, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var text = request.Text?.Trim() ?? "";
        if (text.Length is 0 or > 5000)
        {
            errors["text"] = ["Write between 1 and 5000 characters."];
        }
        if (request.Link is { Length: > 0 } link
            && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || link.Length > 2048))
        {
            errors["link"] = ["The link must be an absolute http(s) URL."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var shop = scope.Current;
        var now = clock.GetUtcNow().UtcDateTime;
        var promotion = new Promotion
        {
            ShopId = shop.Id,
            Text = text,
            Link = string.IsNullOrWhiteSpace(request.Link) ? null : request.Link,
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
        return TypedResults.Created(urls.Note(shop.Slug, promotion.Id),
            new PromotionResponse(promotion.Id, urls.Note(shop.Slug, promotion.Id), promotion.Text, promotion.Link,
                new DateTimeOffset(promotion.PublishedAt), new DeliveryCounts(queued, 0, 0)));
    }

    private static async Task<Ok<List<PromotionResponse>>> ListPromotions(ShopScope scope, PlazaDb db, ActorUrls urls, CancellationToken ct)
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
        return TypedResults.Ok(promotions.Select(p =>
        {
            var state = states.GetValueOrDefault(urls.Note(slug, p.Id) + "/activity");
            var counts = state is null ? new DeliveryCounts(0, 0, 0) : new DeliveryCounts(state.Total - state.Delivered - state.Failed, state.Delivered, state.Failed);
            return new PromotionResponse(p.Id, urls.Note(slug, p.Id), p.Text, p.Link, new DateTimeOffset(p.PublishedAt), counts);
        }).ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePromotion(
        long id, ShopScope scope, PlazaDb db, Documents documents, TimeProvider clock, FederationSignal signal, CancellationToken ct)
    {
        var promotion = await db.Promotions.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (promotion is null)
        {
            return Problems.NotFound("There is no such promotion.");
        }
        if (promotion.DeletedAt is not null)
        {
            return TypedResults.NoContent();
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
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<FollowingResponse>, ProblemHttpResult>> Follow(
        FollowRequest request, ShopScope scope, PlazaDb db, RemoteActors actors, Documents documents, ActorUrls urls,
        TimeProvider clock, FederationSignal signal, CancellationToken ct)
    {
        var account = request.Account?.Trim() ?? "";
        string? actorId;
        try
        {
            actorId = AcctUri.TryParse(account, out var acct) ? await actors.WebFingerAsync(acct, ct)
                : Uri.TryCreate(account, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? account
                : null;
        }
        catch (RemoteFetchRefusedException e)
        {
            return Problems.Make(StatusCodes.Status403Forbidden, "blocked", e.Message);
        }
        catch (HttpRequestException)
        {
            actorId = null;
        }
        var remote = actorId is null ? null : await TryGetAsync(actors, actorId, ct);
        if (remote is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["account"] = ["No reachable ActivityPub actor answers to that name."] });
        }
        var shop = scope.Current;
        var existing = await db.Followings.FirstOrDefaultAsync(f => f.ActorId == remote.ActorId, ct);
        if (existing is not null)
        {
            return TypedResults.Accepted((string?)null, new FollowingResponse(existing.ActorId, existing.FollowActivityId, existing.Accepted));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // A fresh id for every Follow, so a later Accept names exactly this request.
        var followId = urls.Activity(shop.Slug, "follow", Guid.NewGuid());
        db.Followings.Add(new Following { ShopId = shop.Id, ActorId = remote.ActorId, FollowActivityId = followId, RequestedAt = now });
        Outbox.Enqueue(db, shop, followId, documents.Follow(shop, followId, remote.ActorId), [remote.Inbox], now);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return TypedResults.Accepted((string?)null, new FollowingResponse(remote.ActorId, followId, false));
    }

    private static async Task<RemoteActor?> TryGetAsync(RemoteActors actors, string actorId, CancellationToken ct)
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

    private static async Task<Ok<List<FollowingResponse>>> ListFollowing(PlazaDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.Followings.AsNoTracking().OrderByDescending(f => f.Id)
            .Select(f => new FollowingResponse(f.ActorId, f.FollowActivityId, f.Accepted)).ToListAsync(ct));
}
