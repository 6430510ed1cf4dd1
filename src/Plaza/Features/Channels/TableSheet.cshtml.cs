using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Console;

namespace Plaza.Features.Channels;

/// <summary>
/// Every table's code on A4 sheets, to print and cut: shop, code, call to action and table name, in the
/// shop's language unless the owner picks the other (<c>?language=en</c>), whatever the console's language.
/// </summary>
[OwnerOnly, Printed]
public sealed class TableSheetModel(ShopScope scope, OrderLinks links) : PageModel
{
    public Shop Shop => scope.Catalog.Shop;
    public OrderLinks Links => links;
    public List<ShopTable> Tables { get; private set; } = [];

    public void OnGet()
    {
        Tables = [.. scope.Catalog.Tables.Values.OrderBy(t => t.Code, TableCodes.Natural)];
    }
}
