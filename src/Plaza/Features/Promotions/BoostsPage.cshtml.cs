using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Plaza.Common;
using Plaza.Features.Console;

namespace Plaza.Features.Promotions;

/// <summary>
/// Shop links: what the shops this shop follows posted lately (as the inbox stored it), boosting a post
/// to this shop's followers, and taking a boost back. Runs through <see cref="Boosts"/>, as the token API does.
/// </summary>
[OwnerOnly]
public sealed class BoostsPageModel(Boosts boosts, ShopScope scope) : PageModel
{
    public List<Boosts.FollowedPost> Posts { get; private set; } = [];
    public List<Boost> Mine { get; private set; } = [];
    public string? Error { get; private set; }

    [BindProperty]
    public string? ObjectId { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Posts = await boosts.FollowedPostsAsync(30, ct);
        Mine = await boosts.ListAsync(ct);
    }

    public async Task<IActionResult> OnPostBoostAsync(CancellationToken ct)
    {
        var boosted = await boosts.BoostAsync(ObjectId, ct);
        if (boosted.Boost is not null)
        {
            return Back();
        }
        Error = boosted.Refusal ?? boosted.Error;
        Response.StatusCode = boosted.Refusal is null ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden;
        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUndoAsync(long id, CancellationToken ct) =>
        await boosts.UndoAsync(id, ct) ? Back() : NotFound();

    private RedirectResult Back() => Redirect($"/console/{scope.Current.Slug}/boosts");
}
