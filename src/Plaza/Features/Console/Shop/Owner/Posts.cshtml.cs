using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Federation;

namespace Plaza.Features.Console.Shop.Owner;

/// <summary>Promotions posted to followers, with how each one's deliveries stand; post a new one, take one down.</summary>
public sealed class PostsModel(Publishing publishing, ShopScope scope) : PageModel
{
    public List<PromotionResponse> Posts { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? Link { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Posts = await publishing.ListPromotionsAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var posted = await publishing.PostPromotionAsync(Text, Link, ct);
        if (posted.Promotion is null)
        {
            Errors = posted.Errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await OnGetAsync(ct);
            return Page();
        }
        return Redirect($"/console/{scope.Current.Slug}/posts");
    }

    public async Task<IActionResult> OnPostTakeDownAsync(long id, CancellationToken ct) =>
        await publishing.TakeDownAsync(id, ct) ? Redirect($"/console/{scope.Current.Slug}/posts") : NotFound();
}
