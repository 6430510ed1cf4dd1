using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Moderation;

namespace Plaza.Features.Storefront;

/// <summary>"Report this shop": a customer tells the node's operator, with no account; a few per address an hour.</summary>
public sealed class ReportModel(Reports reports, ReportLimit limit, ShopScope scope) : PageModel
{
    [BindProperty]
    public string? Comment { get; set; }

    public string? Error { get; private set; }
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await limit.RefusalAsync(HttpContext, Comment, ct) is { } refused)
        {
            (Response.StatusCode, Error) = refused;
            return Page();
        }
        await reports.ReportLocalShopAsync(scope.Current.Slug, Comment!, ct);
        Sent = true;
        return Page();
    }
}
