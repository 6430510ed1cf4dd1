using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Features.Storefront;

/// <summary>The menu a customer opens from a store code, a table code or a shared link.</summary>
public sealed class MenuModel(PlazaDb db, ShopScope scope, TimeProvider clock) : PageModel
{
    public Shop Shop => scope.Current;
    public MenuResponse Menu { get; private set; } = null!;
    public List<MenuCategory> Shown { get; private set; } = [];
    public List<string> Tags { get; private set; } = [];
    public ShopTable? Table { get; private set; }
    public bool CanOrderNow { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tag { get; set; }

    public async Task<IActionResult> OnGetAsync(string? table, CancellationToken ct)
    {
        if (table is not null)
        {
            Table = await db.Tables.AsNoTracking().FirstOrDefaultAsync(t => t.Code == table, ct);
            if (Table is null)
            {
                return NotFound();
            }
        }
        Menu = await MenuQuery.LoadAsync(db, Shop, clock, ct);
        CanOrderNow = Menu.Shop.OpenNow && !Menu.Shop.Paused;
        Tags = [.. Menu.Categories.SelectMany(c => c.Items).SelectMany(i => i.Tags).Distinct().Order(StringComparer.Ordinal)];
        var query = Q?.Trim();
        Shown = [.. Menu.Categories
            .Select(c => c with { Items = [.. c.Items.Where(i => Matches(i, query, Tag))] })
            .Where(c => c.Items.Count > 0)];
        return Page();
    }

    private static bool Matches(MenuItem item, string? query, string? tag) =>
        (string.IsNullOrEmpty(tag) || item.Tags.Contains(tag))
        && (string.IsNullOrEmpty(query)
            || item.Name.Contains(query, StringComparison.CurrentCultureIgnoreCase)
            || item.Description.Contains(query, StringComparison.CurrentCultureIgnoreCase));

    public string Price(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    public string Delta(long amount) => amount == 0 ? "" : "+" + Price(amount);
}
