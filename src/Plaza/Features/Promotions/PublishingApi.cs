using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;
using Plaza.Features.Ordering;

namespace Plaza.Features.Promotions;

public sealed record PostPromotionRequest(
    [property: Description("The text followers see; blank lines separate paragraphs.")] string? Text,
    [property: Description("Optional link (storefront, an item); defaults to the storefront. Give this or itemId, not both.")] string? Link,
    [property: Description("Optional: one of the shop's items; the post links to it on the storefront menu.")] int? ItemId = null,
    [property: Description("Optional photo, uploaded first with POST …/promotions/images (or an item's photo), with its description.")] PromotionImageRequest? Image = null,
    [property: Description("Optional: one of the shop's coupons with a shared code; the post carries the code, for anyone who reads it.")] int? CouponId = null);

public sealed record PromotionImageRequest(
    [property: Description("The url the upload returned (path or absolute), of a photo stored for this shop.")] string? Url,
    [property: Description("What the photo shows, for people who cannot see it (required, up to 1500 characters).")] string? Alt);

public sealed record PromotionImage(string Url, string Alt, int? Width, int? Height);

public sealed record PromotionResponse(
    long Id, string Url, string Text, string? Link, int? ItemId, PromotionImage? Image, DateTimeOffset PublishedAt, DateTimeOffset? UpdatedAt,
    [property: Description("How the Create reached followers' servers.")] DeliveryCounts Deliveries,
    [property: Description("How the latest edit's Update reached them; null when never edited.")] DeliveryCounts? UpdateDeliveries,
    [property: Description("The coupon code the post carries, if any.")] string? CouponCode = null);

public sealed record UploadedImage(string Url, int Width, int Height);

public sealed record DeliveryCounts(int Pending, int Delivered, int Failed);

/// <summary>
/// Promotions: what the shop posts to its followers. Behind an owner token, as the console's posts page is for owners.
/// </summary>
public static class PublishingApi
{
    public static RouteGroupBuilder MapPublishingApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapPost("/promotions", PostPromotion).RequireOwnerToken()
            .WithName("PostPromotion").WithSummary("Publishes a promotion as a Note and delivers Create(Note) to every follower's server.");
        shopGroup.MapGet("/promotions", ListPromotions).RequireOwnerToken()
            .WithName("ListPromotions").WithSummary("The shop's promotions, newest first, with their delivery state.");
        shopGroup.MapPut("/promotions/{id:long}", EditPromotion).RequireOwnerToken()
            .WithName("EditPromotion").WithSummary("Replaces a live promotion's text, link and photo; its Note changes and Update(Note) goes to every follower's server.");
        shopGroup.MapDelete("/promotions/{id:long}", DeletePromotion).RequireOwnerToken()
            .WithName("DeletePromotion").WithSummary("Takes a promotion down: its Note answers 410 and Delete goes to every follower's server.");
        // Bearer-token only (no cookies), so no cross-site form can use it and antiforgery does not apply.
        shopGroup.MapPost("/promotions/images", UploadImage).RequireOwnerToken().DisableAntiforgery().Accepts<PhotoUpload>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("UploadPromotionImage").WithSummary("Stores a photo (multipart field `file`: JPEG, PNG or WebP up to 5 MB), re-encoded as WebP, for a promotion to use.");
        return shopGroup;
    }

    private static Publishing.Draft DraftOf(PostPromotionRequest request) =>
        new(request.Text, request.Link, request.ItemId, ImageUrl: request.Image?.Url, ImageAlt: request.Image?.Alt, CouponId: request.CouponId);

    private static async Task<Results<Created<PromotionResponse>, ProblemHttpResult>> PostPromotion(
        PostPromotionRequest request, Publishing publishing, CancellationToken ct)
    {
        var posted = await publishing.PostPromotionAsync(DraftOf(request), ct);
        if (posted.Promotion is not { } promotion)
        {
            return Problems.Invalid(posted.Errors);
        }
        var response = publishing.Describe(promotion, new DeliveryCounts(posted.Queued, 0, 0), null);
        return TypedResults.Created(response.Url, response);
    }

    private static async Task<Results<Ok<PromotionResponse>, ProblemHttpResult>> EditPromotion(
        long id, PostPromotionRequest request, Publishing publishing, CancellationToken ct)
    {
        var edited = await publishing.EditPromotionAsync(id, DraftOf(request), ct);
        if (edited.NotFound)
        {
            return Problems.NotFound(Text.Say("There is no such promotion."));
        }
        if (edited.Gone)
        {
            return Problems.Make(StatusCodes.Status410Gone, "gone", Text.Say("The shop took this promotion down."));
        }
        if (edited.Promotion is null)
        {
            return Problems.Invalid(edited.Errors);
        }
        return TypedResults.Ok((await publishing.ListPromotionsAsync(id, ct)).Single());
    }

    /// <summary>The upload's form as the API describes it: one multipart field, <c>file</c>.</summary>
    public sealed record PhotoUpload(IFormFile File);

    // The form is read here rather than bound as an IFormFile parameter: the generated binder reads a form from a
    // request without a form content type and throws (a 500), where this answers 415.
    private static async Task<Results<Created<UploadedImage>, ProblemHttpResult>> UploadImage(
        HttpRequest request, ItemImages images, ShopScope scope, ActorUrls urls, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return Problems.Make(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", Text.Say("Send the photo as multipart/form-data, in the field 'file'."));
        }
        IFormFile? file;
        try
        {
            file = (await request.ReadFormAsync(ct)).Files.GetFile("file");
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            // A malformed or cut-off multipart body (no closing boundary): the sender's fault, not ours.
            return Problems.Invalid(new Dictionary<string, string[]> { ["file"] = [Text.Say("The form could not be read.")] });
        }
        if (file is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["file"] = [Text.Say("Send the photo as the multipart field 'file'.")] });
        }
        var (saved, error) = await images.SaveAsync(scope.ShopId, file, ct, Publishing.ImageMaxWidth);
        return saved is null
            ? Problems.Invalid(new Dictionary<string, string[]> { ["file"] = [error!] })
            : TypedResults.Created(urls.Origin + saved.Url, new UploadedImage(saved.Url, saved.Width, saved.Height));
    }

    private static async Task<Ok<List<PromotionResponse>>> ListPromotions(Publishing publishing, CancellationToken ct) =>
        TypedResults.Ok(await publishing.ListPromotionsAsync(ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePromotion(long id, Publishing publishing, CancellationToken ct) =>
        await publishing.TakeDownAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound(Text.Say("There is no such promotion."));
}
