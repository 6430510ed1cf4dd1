using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Console;

/// <summary>Bearer tokens for integrations: staff or owner scope, shown once when made, stored hashed, revocable.</summary>
[OwnerOnly]
public sealed class TokensModel(PlazaDb db, ShopScope shopScope, TimeProvider clock) : PageModel
{
    public List<ApiToken> Tokens { get; private set; } = [];
    public string? NewToken { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Tokens = await db.ApiTokens.AsNoTracking().OrderByDescending(t => t.CreatedAt).ToListAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(string name, TokenScope scope, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 80)
        {
            TempData["Flash"] = Text.Say("Name the token (up to 80 characters), e.g. the integration it is for.");
            return Redirect($"/console/{shopScope.Current.Slug}/tokens");
        }
        // Anything but an explicit owner choice makes the narrower token.
        NewToken = await StaffToken.IssueAsync(db, shopScope.ShopId, name, scope == TokenScope.Owner ? TokenScope.Owner : TokenScope.Staff, clock, ct);
        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.ApiTokens.Where(t => t.Id == id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        return changed == 0 ? NotFound() : Redirect($"/console/{shopScope.Current.Slug}/tokens");
    }
}
