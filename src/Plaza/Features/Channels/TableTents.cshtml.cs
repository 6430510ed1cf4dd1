using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Console;

namespace Plaza.Features.Channels;

/// <summary>
/// A table tent per table: one A6 page each (a quarter of A4; print on card, or four to a sheet), with
/// the shop, the table's code, the call to action and the table's name, in the shop's language unless the
/// owner picks the other. <c>?table=5</c> prints one table's tent again.
/// </summary>
[OwnerOnly, Printed]
public sealed class TableTentsModel(ShopScope scope, OrderLinks links) : PageModel
{
    public Shop Shop => scope.Catalog.Shop;
    public OrderLinks Links => links;
    public List<ShopTable> Tables { get; private set; } = [];

    public void OnGet(string? table)
    {
        Tables = [.. scope.Catalog.Tables.Values.Where(t => table is null || t.Code == table).OrderBy(t => t.Code, TableCodes.Natural)];
    }
}
