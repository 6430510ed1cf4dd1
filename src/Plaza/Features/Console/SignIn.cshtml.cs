using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Plaza.Features.Console;

[EnableRateLimiting("sign-in")]
public sealed class SignInModel(Accounts accounts) : PageModel
{
    [BindProperty, Required, EmailAddress]
    public string Email { get; set; } = "";

    [BindProperty, Required]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Error = "Enter your e-mail and password.";
            return Page();
        }
        var (result, account) = await accounts.CheckAsync(Email, Password, ct);
        switch (result)
        {
            case Accounts.SignInResult.Success:
                await Accounts.SignInAsync(HttpContext, account!);
                return LocalRedirect(ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith("/console", StringComparison.Ordinal) ? url : "/console");
            case Accounts.SignInResult.LockedOut:
                Error = "Too many failed attempts. This account is locked for 15 minutes.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            default:
                Error = "That e-mail and password do not match.";
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }
}
