using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Moderation;

namespace Plaza.Features.Nearby;

/// <summary>Reports a shop on another node listed in the directory: kept for this node's operator and sent to its node as a Flag.</summary>
public sealed class ReportShopModel(PlazaDb db, Reports reports, ReportLimit limit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    public KnownShop? Shop { get; private set; }
    public string? Error { get; private set; }
    /// <summary>Null until a report is filed; then whether its Flag went out or waits for the shop's node.</summary>
    public Reports.RemoteReport? Outcome { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Shop = await db.KnownShops.AsNoTracking().FirstOrDefaultAsync(s => s.ActorId == Actor, ct);
        return Shop is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Shop = await db.KnownShops.AsNoTracking().FirstOrDefaultAsync(s => s.ActorId == Actor, ct);
        if (Shop is null)
        {
            return NotFound();
        }
        if (await limit.RefusalAsync(HttpContext, Comment, ct) is { } refused)
        {
            (Response.StatusCode, Error) = refused;
            return Page();
        }
        Outcome = await reports.ReportRemoteShopAsync(Shop.ActorId, Comment!, ct);
        return Outcome == Reports.RemoteReport.UnknownShop ? NotFound() : Page();
    }
}
