using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;

namespace Plaza.Features.Promotions;

/// <summary>
/// What an owner posts to followers, for the shop in scope: publish, edit and take down promotions.
/// The API (owner token) and the console (owner sign-in) both call this.
/// </summary>
public sealed class Publishing(
    PlazaDb db, ShopScope scope, Documents documents, ActorUrls urls, TimeProvider clock, FederationSignal signal,
    ItemImages images)
{
    public const int MaxTextLength = 5000;
    public const int MaxAltLength = 1500; // Mastodon's limit for a media description
    /// <summary>Wider than a menu thumbnail: a promotion's photo fills a post in followers' timelines.</summary>
    public const int ImageMaxWidth = 1200;

    /// <summary>
    /// What the owner writes: the text, a link or one of the shop's items (not both), and a photo —
    /// uploaded now (<paramref name="Upload"/>) or already stored on this node (<paramref name="ImageUrl"/>) —
    /// with its description.
    /// </summary>
    public sealed record Draft(string? Text, string? Link, int? ItemId = null, IFormFile? Upload = null, string? ImageUrl = null, string? ImageAlt = null, int? CouponId = null);

    public sealed record Posted(Promotion? Promotion, Dictionary<string, string[]> Errors, int Queued, bool NotFound = false, bool Gone = false);

    private sealed record Content(string Text, string? Link, int? ItemId, ItemImages.Saved? Image, string? Alt, string? CouponCode)
    {
        public bool Differs(Promotion p) => Text != p.Text || Link != p.Link || ItemId != p.ItemId || Image?.Url != p.ImageUrl || Alt != p.ImageAlt || CouponCode != p.CouponCode;

        public void ApplyTo(Promotion p)
        {
            p.Text = Text;
            p.CouponCode = CouponCode;
            p.Link = Link;
            p.ItemId = ItemId;
            p.ImageUrl = Image?.Url;
            p.ImageAlt = Image is null ? null : Alt;
            p.ImageWidth = Image?.Width;
            p.ImageHeight = Image?.Height;
        }
    }

    public async Task<Posted> PostPromotionAsync(Draft draft, CancellationToken ct)
    {
        var (content, errors) = await ResolveAsync(draft, ct);
        if (content is null)
        {
            return new Posted(null, errors, 0);
        }
        var promotion = new Promotion { ShopId = scope.ShopId, Text = content.Text };
        content.ApplyTo(promotion);
        var queued = await PublishAsync(promotion, ct);
        return new Posted(promotion, errors, queued);
    }

    /// <summary>
    /// Publishes a new promotion: the row and its Create(Note) deliveries commit together. Joins the
    /// caller's transaction when there is one (a menu change announcing itself), else opens its own.
    /// </summary>
    public async Task<int> PublishAsync(Promotion promotion, CancellationToken ct)
    {
        var shop = scope.Current;
        var now = clock.GetUtcNow().UtcDateTime;
        promotion.ShopId = shop.Id;
        promotion.PublishedAt = Seconds(now);
        var followers = await db.Followers.AsNoTracking().ToListAsync(ct);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        db.Promotions.Add(promotion);
        await db.SaveChangesAsync(ct); // the Note's id is the row's id
        var create = documents.CreateNote(shop, promotion);
        var queued = Outbox.Enqueue(db, shop, create.Id!, create, Outbox.InboxesOf(followers), now);
        await db.SaveChangesAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
            signal.DeliveriesQueued();
        }
        return queued;
    }

    /// <summary>
    /// Edits a live promotion: the new content and an Update(Note) to every follower's server are saved
    /// in one SaveChanges. An edit that changes nothing sends nothing.
    /// </summary>
    public async Task<Posted> EditPromotionAsync(long id, Draft draft, CancellationToken ct)
    {
        var promotion = await db.Promotions.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (promotion is null || promotion.DeletedAt is not null)
        {
            return new Posted(null, [], 0, NotFound: promotion is null, Gone: promotion is not null);
        }
        var (content, errors) = await ResolveAsync(draft, ct);
        if (content is null)
        {
            return new Posted(null, errors, 0);
        }
        if (!content.Differs(promotion))
        {
            return new Posted(promotion, errors, 0);
        }
        content.ApplyTo(promotion);
        var shop = scope.Current;
        var now = clock.GetUtcNow().UtcDateTime;
        // Peers keep the newer version by `updated`, so it never goes back behind `published`.
        promotion.UpdatedAt = Seconds(now) < promotion.PublishedAt ? promotion.PublishedAt : Seconds(now);
        promotion.UpdateActivityId = urls.Activity(shop.Slug, "update", Guid.NewGuid());
        var followers = await db.Followers.AsNoTracking().ToListAsync(ct);
        var update = documents.UpdateNote(shop, promotion, promotion.UpdateActivityId);
        var queued = Outbox.Enqueue(db, shop, promotion.UpdateActivityId, update, Outbox.InboxesOf(followers), now);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return new Posted(promotion, errors, queued);
    }

    /// <summary>Where a promotion linking to one of the shop's items points: the item on the storefront menu.</summary>
    public string ItemLink(int itemId) => $"{urls.Storefront(scope.Current.Slug)}#item-{itemId}";

    /// <summary>One of the shop's stored photos (an item's, an earlier upload) with its size; null when it is not one.</summary>
    public ItemImages.Saved? StoredImage(string url) => images.Find(scope.ShopId, url, urls.Origin);

    // Checks everything before the upload is decoded and stored, so a refused post leaves no file behind.
    private async Task<(Content? Content, Dictionary<string, string[]> Errors)> ResolveAsync(Draft draft, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var text = draft.Text?.Trim() ?? "";
        var link = string.IsNullOrWhiteSpace(draft.Link) ? null : draft.Link.Trim();
        if (text.Length is 0 or > MaxTextLength)
        {
            errors["text"] = [Text.Say("Write between 1 and 5000 characters.")];
        }
        if (link is not null && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || link.Length > 2048))
        {
            errors["link"] = [Text.Say("The link must be an absolute http(s) URL.")];
        }
        if (draft.ItemId is { } itemId)
        {
            if (link is not null)
            {
                errors["itemId"] = [Text.Say("Link to an item or give a URL, not both.")];
            }
            else if (!await db.Items.AnyAsync(i => i.Id == itemId, ct)) // the shop filter: another shop's item is not found
            {
                errors["itemId"] = [Text.Say("Choose one of this shop's items.")];
            }
            else
            {
                link = ItemLink(itemId);
            }
        }
        var imageUrl = string.IsNullOrWhiteSpace(draft.ImageUrl) ? null : draft.ImageUrl.Trim();
        var alt = draft.ImageAlt?.Trim() ?? "";
        ItemImages.Saved? stored = null;
        if (draft.Upload is null && imageUrl is not null && (stored = StoredImage(imageUrl)) is null)
        {
            errors["image.url"] = [Text.Say("Name a photo uploaded to this shop (POST …/promotions/images returns its url).")];
        }
        if (draft.Upload is not null || imageUrl is not null)
        {
            if (alt.Length is 0 or > MaxAltLength)
            {
                errors["image.alt"] = [Text.Say("Describe the photo in up to 1500 characters, for people who cannot see it.")];
            }
        }
        string? couponCode = null;
        if (draft.CouponId is { } couponId)
        {
            // The shop filter: another shop's coupon is not found. Only a shared code can go in a public post.
            var coupon = await db.Coupons.AsNoTracking().FirstOrDefaultAsync(c => c.Id == couponId && c.WithdrawnAt == null, ct);
            couponCode = coupon?.SharedCode;
            if (couponCode is null)
            {
                errors["couponId"] = [Text.Say("Choose one of this shop's coupons that has a shared code: everyone who reads the post may use it.")];
            }
        }
        if (errors.Count == 0 && draft.Upload is { } upload)
        {
            var (saved, error) = await images.SaveAsync(scope.ShopId, upload, ct, ImageMaxWidth);
            if (error is not null)
            {
                errors["image"] = [error];
            }
            stored = saved;
        }
        return errors.Count > 0 ? (null, errors) : (new Content(text, link, draft.ItemId, stored, stored is null ? null : alt, couponCode), errors);
    }

    /// <summary>The shop's live promotions, newest first, each with how its deliveries (and its latest edit's) stand.</summary>
    public Task<List<PromotionResponse>> ListPromotionsAsync(CancellationToken ct) => ListPromotionsAsync(null, ct);

    /// <summary>The live promotions, or only the one with id <paramref name="only"/> (none when it is not live).</summary>
    public async Task<List<PromotionResponse>> ListPromotionsAsync(long? only, CancellationToken ct)
    {
        var slug = scope.Current.Slug;
        var promotions = await db.Promotions.AsNoTracking().Where(p => p.DeletedAt == null && (only == null || p.Id == only)).OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id).Take(100).ToListAsync(ct);
        var activityIds = promotions.Select(p => urls.Note(slug, p.Id) + "/activity")
            .Concat(promotions.Select(p => p.UpdateActivityId).OfType<string>()).ToList();
        var states = await db.Deliveries.AsNoTracking().Where(d => activityIds.Contains(d.ActivityId))
            .GroupBy(d => d.ActivityId)
            .Select(g => new
            {
                ActivityId = g.Key,
                Delivered = g.Count(d => d.DeliveredAt != null),
                Failed = g.Count(d => d.FailedAt != null),
                Total = g.Count(),
            })
            .ToDictionaryAsync(s => s.ActivityId, s => new DeliveryCounts(s.Total - s.Delivered - s.Failed, s.Delivered, s.Failed), ct);
        var none = new DeliveryCounts(0, 0, 0);
        return [.. promotions.Select(p => Describe(p,
            states.GetValueOrDefault(urls.Note(slug, p.Id) + "/activity", none),
            p.UpdateActivityId is null ? null : states.GetValueOrDefault(p.UpdateActivityId, none)))];
    }

    /// <summary>A promotion as the API and the console show it.</summary>
    public PromotionResponse Describe(Promotion p, DeliveryCounts deliveries, DeliveryCounts? updateDeliveries) => new(
        p.Id, urls.Note(scope.Current.Slug, p.Id), p.Text, p.Link, p.ItemId,
        p.ImageUrl is null ? null : new PromotionImage(urls.Origin + p.ImageUrl, p.ImageAlt ?? "", p.ImageWidth, p.ImageHeight),
        new DateTimeOffset(p.PublishedAt), p.UpdatedAt is { } u ? new DateTimeOffset(u) : null, deliveries, updateDeliveries, p.CouponCode);

    private static DateTime Seconds(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

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
        Outbox.Enqueue(db, shop, delete.Id!, delete, Outbox.InboxesOf(followers), now);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return true;
    }

}
