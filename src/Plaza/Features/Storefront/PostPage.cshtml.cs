using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Promotions;

namespace Plaza.Features.Storefront;

/// <summary>
/// A promotion's own page, <c>/s/{shop}/posts/{id}</c>: what a shared post opens and what a browser that opens
/// the post's ActivityPub id is sent to. Text, photo and the item it offers, with share tags for chat apps and
/// social sites; "order" leads through the post's tracked link, so the orders it brings are credited to it.
/// A post the shop took down answers 410 with a way to the menu.
/// </summary>
public sealed class PostPageModel(PlazaDb db, ShopScope scope, PublicOrigin origin, TimeProvider clock) : PageModel
{
    public Shop Shop => scope.Current;
    public Promotion Post { get; private set; } = null!;

    /// <summary>The item the post offers, as the menu shows it now; null when it offers none or the item is gone.</summary>
    public MenuItem? Item { get; private set; }

    /// <summary>Where "order" leads: the post's tracked link, or the link elsewhere the owner wrote.</summary>
    public string Target { get; private set; } = "";

    public bool LeadsToShop { get; private set; }

    public bool Gone { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var post = await db.Promotions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (post is null)
        {
            return NotFound();
        }
        Post = post;
        if (post.DeletedAt is not null)
        {
            Gone = true;
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        var storefront = origin.Link($"/s/{Uri.EscapeDataString(Shop.Slug)}");
        (Target, LeadsToShop) = (PromotionLinks.Target(storefront, post), PromotionLinks.LeadsToShop(storefront, post));
        if (post.ItemId is { } itemId)
        {
            Item = MenuQuery.Build(scope.Catalog, clock).Categories.SelectMany(c => c.Items).FirstOrDefault(i => i.Id == itemId);
        }
        return Page();
    }

    public string Price(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    /// <summary>When it was published, in the shop's time zone.</summary>
    public string Published => Instant.FromDateTimeUtc(DateTime.SpecifyKind(Post.PublishedAt, DateTimeKind.Utc))
        .InZone(DateTimeZoneProviders.Tzdb[Shop.TimeZone]).ToString("yyyy-MM-dd HH:mm", null);

    /// <summary>The post's first line or so, for share cards: chat apps show about two lines.</summary>
    public string Summary => Post.Text.Length <= 200 ? Post.Text : string.Concat(Post.Text.AsSpan(0, 199), "…");
}
