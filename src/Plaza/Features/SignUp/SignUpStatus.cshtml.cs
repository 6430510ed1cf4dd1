using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Plaza.Features.SignUp;

/// <summary>
/// <c>/console/sign-up/{token}</c>: where a request stands: the e-mailed code to type, waiting for the operator,
/// approved (sign in) or declined. The token is the request's only key, unguessable like an order's.
/// </summary>
[EnableRateLimiting("sign-in")]
public sealed class SignUpStatusModel(SignUps signUps, IStringLocalizer<Text> text) : PageModel
{
    public SignUpRequest SignUp { get; private set; } = null!;

    [BindProperty]
    public string Code { get; set; } = "";

    /// <summary>An English template, worded in the view.</summary>
    public string? Error { get; private set; }

    public bool CodeSpent { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken ct)
    {
        if (await signUps.FindAsync(token, ct) is not { } request)
        {
            return NotFound();
        }
        SignUp = request;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token, CancellationToken ct)
    {
        if (await signUps.FindAsync(token, ct) is not { } request)
        {
            return NotFound();
        }
        switch (await signUps.VerifyAsync(request, Code, ct))
        {
            case SignUps.CodeCheck.Verified:
                return Redirect($"/console/sign-up/{request.Token}");
            case SignUps.CodeCheck.Wrong:
                Error = Text.Say("That is not the code we sent. Check the latest e-mail and try again.");
                break;
            default:
                Error = Text.Say("That code has expired or was mistyped too often. Ask for a new one.");
                CodeSpent = true;
                break;
        }
        SignUp = (await signUps.FindAsync(token, ct))!;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync(string? token, CancellationToken ct)
    {
        if (await signUps.FindAsync(token, ct) is not { } request)
        {
            return NotFound();
        }
        await signUps.ResendAsync(request, ct);
        TempData["Flash"] = text["A new code is on its way."].Value;
        return Redirect($"/console/sign-up/{request.Token}");
    }
}
