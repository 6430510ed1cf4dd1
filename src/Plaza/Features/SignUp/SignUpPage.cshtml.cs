using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Plaza.Features.SignUp;

/// <summary>
/// <c>/console/sign-up</c>: asking to open a shop on this node, when its operator allows it (404 otherwise, as if
/// there were no such page). The shop's currency, zone and language start from the asker's language.
/// </summary>
[EnableRateLimiting("sign-in")]
public sealed class SignUpPageModel(SignUps signUps, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty]
    public SignUpForm Form { get; set; } = new();

    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await signUps.IsOpenAsync(ct))
        {
            return NotFound();
        }
        var zh = System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        Form = zh
            ? new SignUpForm { Currency = "CNY", TimeZone = "Asia/Shanghai", Language = "zh-Hans" }
            : new SignUpForm { Currency = "EUR", TimeZone = "Europe/Berlin", Language = "en" };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await signUps.IsOpenAsync(ct))
        {
            return NotFound();
        }
        var (request, problems) = await signUps.AskAsync(Form, ct);
        if (request is null)
        {
            foreach (var (field, problem) in problems)
            {
                Errors[field] = text[problem];
            }
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return Redirect($"/console/sign-up/{request.Token}");
    }
}
