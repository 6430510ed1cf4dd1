using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>Staff's one-tap sold-out switch and stock counts.</summary>
[StaffOnly]
public sealed class StockModel(PlazaDb db, ShopScope scope) : PageModel
{
    public List<Category> Categories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.Position).ThenBy(c => c.Id)
            .Include(c => c.Items.OrderBy(i => i.Position).ThenBy(i => i.Id)).ToListAsync(ct);

    public async Task<IActionResult> OnPostToggleAsync(int id, bool soldOut, CancellationToken ct)
    {
        var changed = await db.Items.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.SoldOut, soldOut), ct);
        return changed == 0 ? NotFound() : Redirect($"/console/{scope.Current.Slug}/stock#item-{id}");
    }

    public async Task<IActionResult> OnPostStockAsync(int id, int? stock, CancellationToken ct)
    {
        if (stock is < 0 or > 100_000)
        {
            TempData["Flash"] = Text.Say("Stock is between 0 and 100000, or empty for not counted.");
            return Redirect($"/console/{scope.Current.Slug}/stock");
        }
        var changed = await db.Items.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Stock, stock), ct);
        return changed == 0 ? NotFound() : Redirect($"/console/{scope.Current.Slug}/stock#item-{id}");
    }
}
