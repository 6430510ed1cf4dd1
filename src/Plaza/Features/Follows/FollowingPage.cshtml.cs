using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Plaza.Common;
using Plaza.Features.Console;

namespace Plaza.Features.Follows;

/// <summary>Accounts the shop follows (partner shops, a neighbourhood hub), and whether each accepted.</summary>
[OwnerOnly]
public sealed class FollowingPageModel(FollowActions follows, ShopScope scope) : PageModel
{
    public List<FollowingResponse> Follows { get; private set; } = [];
    public string? Error { get; private set; }

    [BindProperty]
    public string? Account { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Follows = await follows.ListFollowingAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var followed = await follows.FollowAsync(Account, ct);
        if (followed.Following is null)
        {
            Error = followed.Refusal ?? followed.Errors.Values.SelectMany(e => e).FirstOrDefault();
            Response.StatusCode = followed.Refusal is null ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden;
            await OnGetAsync(ct);
            return Page();
        }
        return Redirect($"/console/{scope.Current.Slug}/following");
    }

    /// <summary>Stops following an account: the row goes and the account gets an Undo of the Follow.</summary>
    public async Task<IActionResult> OnPostUnfollowAsync(string? actor, CancellationToken ct) =>
        string.IsNullOrEmpty(actor) || !await follows.UnfollowAsync(actor, ct)
            ? NotFound()
            : Redirect($"/console/{scope.Current.Slug}/following");
}
