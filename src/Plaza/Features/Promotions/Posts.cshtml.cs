using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Promotions;

/// <summary>
/// Promotions posted to followers, with how each one's deliveries stand; post a new one (text, a link
/// or one of the shop's items, a photo), edit or take one down; choose which menu changes are announced.
/// </summary>
[OwnerOnly]
public sealed class PostsModel(Publishing publishing, PlazaDb db, ShopScope scope) : PageModel
{
    public string Slug => scope.Current.Slug;

    public sealed record ItemChoice(int Id, string Name);

    public List<PromotionResponse> Posts { get; private set; } = [];
    public List<ItemChoice> Items { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    /// <summary>The post being edited (its photo is kept unless replaced or removed); null for a new post.</summary>
    public PromotionResponse? Editing { get; private set; }
    public AnnouncementPolicy Announcements { get; private set; } = new();

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? Link { get; set; }

    [BindProperty]
    public int? ItemId { get; set; }

    [BindProperty]
    public IFormFile? Image { get; set; }

    [BindProperty]
    public string? ImageAlt { get; set; }

    [BindProperty]
    public bool RemoveImage { get; set; }

    /// <summary>A coupon with a shared code the post offers; its code goes into the post.</summary>
    [BindProperty]
    public int? CouponId { get; set; }

    /// <summary>The shop's coupons a post may carry: those with a shared code, not withdrawn.</summary>
    public List<Loyalty.Coupon> Coupons { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long? edit, CancellationToken ct)
    {
        await LoadAsync(edit, ct);
        if (edit is not null && Editing is null)
        {
            return NotFound();
        }
        if (Editing is { } post)
        {
            Text = post.Text;
            ItemId = post.ItemId;
            Link = post.ItemId is null ? post.Link : null;
            ImageAlt = post.Image?.Alt;
            CouponId = Coupons.FirstOrDefault(c => c.SharedCode == post.CouponCode)?.Id;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var posted = await publishing.PostPromotionAsync(new Publishing.Draft(Text, Link, ItemId, Image, ImageAlt: ImageAlt, CouponId: CouponId), ct);
        return posted.Promotion is null ? await RefusedAsync(posted.Errors, null, ct) : Back();
    }

    public async Task<IActionResult> OnPostEditAsync(long id, CancellationToken ct)
    {
        var current = (await publishing.ListPromotionsAsync(id, ct)).SingleOrDefault();
        if (current is null)
        {
            return NotFound();
        }
        // The photo stays as it is unless the owner uploads another or removes it.
        var keep = Image is null && !RemoveImage ? current.Image?.Url : null;
        var edited = await publishing.EditPromotionAsync(id, new Publishing.Draft(Text, Link, ItemId, Image, keep, ImageAlt, CouponId), ct);
        return edited.Promotion is null ? await RefusedAsync(edited.Errors, id, ct) : Back();
    }

    public async Task<IActionResult> OnPostTakeDownAsync(long id, CancellationToken ct) =>
        await publishing.TakeDownAsync(id, ct) ? Back() : NotFound();

    /// <summary>Which menu changes are posted automatically; both off until the owner turns them on.</summary>
    public async Task<IActionResult> OnPostAnnouncementsAsync(bool newItems, bool priceChanges, CancellationToken ct)
    {
        var policy = await db.AnnouncementPolicies.FirstOrDefaultAsync(ct);
        if (policy is null)
        {
            policy = new AnnouncementPolicy { ShopId = scope.ShopId };
            db.AnnouncementPolicies.Add(policy);
        }
        policy.NewItems = newItems;
        policy.PriceChanges = priceChanges;
        await db.SaveChangesAsync(ct);
        return Back();
    }

    private async Task<IActionResult> RefusedAsync(Dictionary<string, string[]> errors, long? editing, CancellationToken ct)
    {
        Errors = errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(editing, ct);
        return Page();
    }

    private async Task LoadAsync(long? edit, CancellationToken ct)
    {
        Posts = await publishing.ListPromotionsAsync(ct);
        Editing = edit is null ? null : (await publishing.ListPromotionsAsync(edit, ct)).SingleOrDefault();
        Items = await db.Items.AsNoTracking().OrderBy(i => i.Name).Select(i => new ItemChoice(i.Id, i.Name)).ToListAsync(ct);
        Coupons = await db.Coupons.AsNoTracking().Where(c => c.SharedCode != null && c.WithdrawnAt == null).OrderBy(c => c.Name).ToListAsync(ct);
        Announcements = await db.AnnouncementPolicies.AsNoTracking().FirstOrDefaultAsync(ct) ?? new AnnouncementPolicy();
    }

    private RedirectResult Back() => Redirect($"/console/{scope.Current.Slug}/posts");
}
