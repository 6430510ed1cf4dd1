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
        if (!await limit.AdmitAsync(HttpContext.Connection.RemoteIpAddress, ct))
        {
            Error = Reports.TooMany;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "3600";
            return Page();
        }
        Error = Reports.Validate(Comment);
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await reports.ReportLocalShopAsync(scope.Current.Slug, Comment!, ct);
        Sent = true;
        return Page();
    }
}
