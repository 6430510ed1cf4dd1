using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;

namespace Plaza.Features.Members;

/// <summary>The code from the e-mail; the right one signs the member in on this phone.</summary>
public sealed class JoinCodeModel(Members members, ShopScope scope) : PageModel
{
    [BindProperty]
    public string Code { get; set; } = "";

    public string? Error { get; private set; }

    public MemberCode? Sent { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        Sent = await members.FindCodeAsync(token, ct);
        return Sent is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        Sent = await members.FindCodeAsync(token, ct);
        if (Sent is null)
        {
            return NotFound();
        }
        switch (await members.VerifyAsync(HttpContext, Sent, Code, ct))
        {
            case Members.CodeCheck.SignedIn:
                return Redirect($"/s/{scope.Current.Slug}/me");
            case Members.CodeCheck.Wrong:
                Error = Text.Say("That is not the code we sent; check the e-mail and try again.");
                break;
            default:
                Error = Text.Say("That code can no longer be used; ask for a new one.");
                break;
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
