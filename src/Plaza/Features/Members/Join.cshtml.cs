using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Mail;

namespace Plaza.Features.Members;

/// <summary>
/// Joining the shop, or signing back in on a new phone: an e-mail address (and, if they wish, consent to offers), then a code.
/// The passkey forms on the page (join with one, sign in with one) are run by passkey.js against <see cref="PasskeysApi"/>.
/// </summary>
public sealed class JoinModel(Members members, Outbox outbox, ShopScope scope) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public bool Offers { get; set; }

    public string? Error { get; private set; }

    public bool CanSend => outbox.CanSend;

    public string ConsentText { get; private set; } = "";

    /// <summary>The words for someone joining with a passkey alone, who gives no address to send offers to.</summary>
    public string PasskeyConsentText { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await members.CurrentAsync(HttpContext, ct) is not null)
        {
            return Redirect($"/s/{scope.Current.Slug}/me");
        }
        await WordsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await WordsAsync(ct);
        if (!CanSend)
        {
            return Page();
        }
        var language = System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh-Hans" : "en";
        var (code, problem) = await members.RequestCodeAsync(Email, Offers, language, ct);
        if (code is null)
        {
            Error = problem;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return Redirect($"/s/{scope.Current.Slug}/join/{code.Token}");
    }

    private async Task WordsAsync(CancellationToken ct) =>
        (ConsentText, PasskeyConsentText) = await members.ConsentTextsAsync(ct);
}
