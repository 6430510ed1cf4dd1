using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Storefront;

/// <summary>
/// One item's own page, <c>/s/{shop}/items/{id}</c>: what a shared link or a search result opens, with the
/// photo, price and description in its share tags and JSON-LD; ordering happens on the menu.
/// </summary>
public sealed class ItemPageModel(ShopScope scope, TimeProvider clock) : PageModel
{
    public Shop Shop => scope.Current;
    public MenuItem Item { get; private set; } = null!;
    public string Category { get; private set; } = "";

    public IActionResult OnGet(int id)
    {
        var menu = MenuQuery.Build(scope.Catalog, clock);
        var found = menu.Categories.SelectMany(c => c.Items.Select(i => (Category: c, Item: i))).FirstOrDefault(x => x.Item.Id == id);
        if (found.Item is null)
        {
            return NotFound();
        }
        (Item, Category) = (found.Item, found.Category.Name);
        return Page();
    }

    public string Price(long amount) => Currencies.Format(new Money(amount, Shop.Currency));
}
