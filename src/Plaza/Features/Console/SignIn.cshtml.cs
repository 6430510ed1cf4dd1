using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Plaza.Features.Console;

[EnableRateLimiting("sign-in")]
public sealed class SignInModel(Accounts accounts, SignUp.SignUps signUps) : PageModel
{
    /// <summary>Shown when this device has to wait; {0} is whole minutes.</summary>
    public const string TryLaterMessage = "Too many failed attempts for this account from this device. Try again in {0} min.";

    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }
    public object[] ErrorArguments { get; private set; } = [];

    /// <summary>The operator lets anyone ask to open a shop here: the page offers it.</summary>
    public bool SignUpOpen { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => SignUpOpen = await signUps.IsOpenAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Checked here, in the page's words, rather than by validation attributes (whose messages are the framework's English).
        if (string.IsNullOrWhiteSpace(Email) || !Email.Contains('@', StringComparison.Ordinal) || string.IsNullOrEmpty(Password))
        {
            Error = Text.Say("Enter your e-mail and password.");
            return Page();
        }
        var (result, account, retryAfter) = await accounts.CheckAsync(Email, Password, Accounts.ClientAddress(HttpContext), ct);
        switch (result)
        {
            case Accounts.SignInResult.Success:
                await Accounts.SignInAsync(HttpContext, account!);
                return LocalRedirect(ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith("/console", StringComparison.Ordinal) ? url : "/console");
            case Accounts.SignInResult.TryLater:
                var minutes = (int)Math.Ceiling(retryAfter.TotalMinutes);
                Error = TryLaterMessage;
                ErrorArguments = [minutes];
                Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            default:
                Error = Text.Say("That e-mail and password do not match.");
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }
}
