using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Console;

/// <summary>The shops a person owns or works at; one login for a main business and a sideline.</summary>
[Authorize]
public sealed class ConsoleIndexModel(PlazaDb db) : PageModel
{
    public sealed record ShopLink(string Slug, string Name, ShopRole Role);

    public List<ShopLink> Shops { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var accountId = ConsoleUser.AccountId(User)!.Value;
        // The one view that spans a person's shops, so it lifts the shop filter by name.
        Shops = await db.Memberships.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(m => m.AccountId == accountId)
            .OrderBy(m => m.Shop!.Name)
            .Select(m => new ShopLink(m.Shop!.Slug, m.Shop.Name, m.Role))
            .ToListAsync(ct);
        return Shops.Count == 1 ? Redirect($"/console/{Shops[0].Slug}/board") : Page();
    }
}
