using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;
using Plaza.Features.Ordering;

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
        PostPromotionRequest request, Publishing publishing, ActorUrls urls, ShopScope scope, CancellationToken ct)
    {
        var posted = await publishing.PostPromotionAsync(request.Text, request.Link, ct);
        if (posted.Promotion is not { } promotion)
        {
            return Problems.Invalid(posted.Errors);
        }
        var url = urls.Note(scope.Current.Slug, promotion.Id);
        return TypedResults.Created(url, new PromotionResponse(promotion.Id, url, promotion.Text, promotion.Link,
            new DateTimeOffset(promotion.PublishedAt), new DeliveryCounts(posted.Queued, 0, 0)));
    }

    private static async Task<Ok<List<PromotionResponse>>> ListPromotions(Publishing publishing, CancellationToken ct) =>
        TypedResults.Ok(await publishing.ListPromotionsAsync(ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePromotion(long id, Publishing publishing, CancellationToken ct) =>
        await publishing.TakeDownAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("There is no such promotion.");

    private static async Task<Results<Accepted<FollowingResponse>, ProblemHttpResult>> Follow(
        FollowRequest request, Publishing publishing, CancellationToken ct)
    {
        var followed = await publishing.FollowAsync(request.Account, ct);
        return followed.Refusal is { } refusal ? Problems.Make(StatusCodes.Status403Forbidden, "blocked", refusal)
            : followed.Following is { } following ? TypedResults.Accepted((string?)null, following)
            : Problems.Invalid(followed.Errors);
    }

    private static async Task<Ok<List<FollowingResponse>>> ListFollowing(Publishing publishing, CancellationToken ct) =>
        TypedResults.Ok(await publishing.ListFollowingAsync(ct));
}
