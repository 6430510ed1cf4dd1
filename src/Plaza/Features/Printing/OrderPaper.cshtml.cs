using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Features.Ordering;

namespace Plaza.Features.Printing;

/// <summary>
/// An order's kitchen ticket or receipt as a page for the browser's print dialog, for a shop without a thermal
/// printer (or with one that is down): narrow like till roll, in the shop's language, printed from the board.
/// </summary>
[StaffOnly, Printed]
public sealed class OrderPaperModel(PlazaDb db, ShopScope scope) : PageModel
{
    public Shop Shop => scope.Catalog.Shop;
    public Order Order { get; private set; } = null!;
    public bool Receipt { get; private set; }
    public string? TableName { get; private set; }

    public string Money(long amount) => Currencies.Format(new Money(amount, Order.Currency));

    public async Task<IActionResult> OnGetAsync(Guid id, string? kind, CancellationToken ct)
    {
        if (await OrderQueries.FindAsync(db, id, ct) is not { } order)
        {
            return NotFound();
        }
        Order = order;
        Receipt = kind == "receipt";
        TableName = order.TableCode is { } code && scope.Catalog.Tables.TryGetValue(code, out var table) ? table.Name : null;
        return Page();
    }
}
