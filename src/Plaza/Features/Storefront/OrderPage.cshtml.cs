using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Features.Storefront;

/// <summary>The customer's live order page: the link is the receipt, no account needed.</summary>
public sealed class OrderPageModel(PlazaDb db, ShopScope scope) : PageModel
{
    public static readonly OrderStatus[] Steps = [OrderStatus.Placed, OrderStatus.Accepted, OrderStatus.Preparing, OrderStatus.Ready, OrderStatus.Completed];

    public Shop Shop => scope.Current;

    public Dictionary<string, ShopTable> Tables => scope.Catalog.Tables;
    public Order Order { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var order = await OrderQueries.FindAsync(db, id, ct);
        if (order is null)
        {
            return NotFound();
        }
        Order = order;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public string Money(long amount) => Currencies.Format(new Money(amount, Order.Currency));

    public string Local(DateTime utc) => OpeningSchedule.Local(Shop, utc, "yyyy-MM-dd HH:mm");

    public string LocalTime(DateTime utc) => Local(utc)[11..];
}
