using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Features.Channels;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Notifications;
using Plaza.Features.Ordering;
using Plaza.Features.Printing;

namespace Plaza.Features.Console;

/// <summary>The live order board at the counter, and the kitchen view of the same orders.</summary>
[StaffOnly]
public sealed class BoardModel(PlazaDb db, ShopScope scope, ConsoleMember member, ChangeStatus changeStatus, TimeProvider clock, OrderLinks links, PushDevices devices, PrintWorker printing) : PageModel
{
    /// <summary>What the shop still lacks, for owners (staff cannot fix it); null for staff.</summary>
    public IReadOnlyList<SetupChecklist.Step>? Checklist => member.IsOwner ? SetupChecklist.For(scope.Catalog, links) : null;

    public Plaza.Features.Catalog.Shop Shop => scope.Current;
    public List<Order> Orders { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string Show { get; set; } = "open";

    [BindProperty(SupportsGet = true)]
    public bool Kitchen { get; set; }

    public bool Paused => Shop.IsPausedAt(clock.GetUtcNow().UtcDateTime);

    public int TodayCount { get; private set; }
    /// <summary>Today's item sales, the base of the platform commission shown against them.</summary>
    public long TodaySales { get; private set; }

    public string Money(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = PlaceOrder.BusinessDayOf(Shop, Instant.FromDateTimeOffset(clock.GetUtcNow()));
        var query = db.Orders.AsNoTracking().Include(o => o.Lines).AsSplitQuery();
        query = Show switch
        {
            "done" => query.Where(o => o.BusinessDay == today && (o.Status == OrderStatus.Completed || o.Status == OrderStatus.Refunded || o.Status == OrderStatus.Rejected || o.Status == OrderStatus.Cancelled)),
            "today" => query.Where(o => o.BusinessDay == today),
            _ => query.Where(o => o.Status == OrderStatus.Placed || o.Status == OrderStatus.Accepted || o.Status == OrderStatus.Preparing || o.Status == OrderStatus.Ready),
        };
        Orders = await query.OrderBy(o => o.PlacedAt).Take(200).ToListAsync(ct);
        var sold = db.Orders.Where(o => o.BusinessDay == today && o.Status != OrderStatus.Rejected && o.Status != OrderStatus.Cancelled);
        TodayCount = await sold.CountAsync(ct);
        TodaySales = await sold.SumAsync(o => o.ItemsTotal, ct);
        Printers = await db.Set<Printer>().AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
    }

    /// <summary>The shop's network printers and what each last found, shown above the orders.</summary>
    public List<Printer> Printers { get; private set; } = [];

    /// <summary>The printers' states alone, for the board's script to show a printer that stopped or came back.</summary>
    public async Task<IActionResult> OnGetPrintersAsync(CancellationToken ct) =>
        Partial("/Features/Printing/_PrinterStates.cshtml", await db.Set<Printer>().AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct));

    /// <summary>Prints an order once more on the shop's printers (a ticket lost or spoilt in the kitchen).</summary>
    public async Task<IActionResult> OnPostReprintAsync(Guid id, CancellationToken ct)
    {
        if (!await db.Orders.AnyAsync(o => o.Id == id, ct))
        {
            return NotFound();
        }
        var queued = await printing.ReprintAsync(db, Shop.Id, id, ct);
        if (IsScripted)
        {
            return new NoContentResult();
        }
        TempData["Flash"] = Text.Say("Sent to {0} printers.", queued);
        return Redirect($"/console/{Shop.Slug}/board");
    }

    /// <summary>One order's card, for the board's script to insert or replace after an event.</summary>
    public async Task<IActionResult> OnGetCardAsync(Guid id, CancellationToken ct)
    {
        var order = await OrderQueries.FindAsync(db, id, ct);
        return order is null ? NotFound() : Partial("_OrderCard", new OrderCard(order, Shop, await db.Set<Printer>().AnyAsync(ct)));
    }

    public async Task<IActionResult> OnPostMoveAsync(Guid id, string status, string? reason, int? readyInMinutes, CancellationToken ct)
    {
        var (order, problem) = await changeStatus.HandleAsync(id, new ChangeStatusRequest(status, reason, readyInMinutes), member.Name, ct);
        if (IsScripted)
        {
            if (problem is not null)
            {
                return problem is { } p ? new ObjectResult(p.ProblemDetails) { StatusCode = p.StatusCode } : BadRequest();
            }
            return await OnGetCardAsync(id, ct);
        }
        TempData["Flash"] = problem?.ProblemDetails.Detail ?? $"{order!.Number}: {order.Status}";
        return Redirect($"/console/{Shop.Slug}/board");
    }

    /// <summary>Stops orders for 30 minutes when the kitchen is swamped, or resumes them.</summary>
    public async Task<IActionResult> OnPostPauseAsync(int minutes, CancellationToken ct)
    {
        DateTime? until = minutes > 0 ? clock.GetUtcNow().UtcDateTime.AddMinutes(Math.Min(minutes, 24 * 60)) : null;
        await db.Shops.Where(s => s.Id == Shop.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.PausedUntil, until), ct);
        return Redirect($"/console/{Shop.Slug}/board");
    }

    /// <summary>Subscribes this member's phone or tablet to the shop's new orders (Web Push); it then counts as someone watching.</summary>
    public async Task<IActionResult> OnPostPushAsync(string? endpoint, string? p256dh, string? auth, CancellationToken ct) =>
        await devices.AddStaffAsync(Shop.Id, member.AccountId, new PushSubscriptionRequest(endpoint, new PushSubscriptionKeys(p256dh, auth)), ct) is { } problem
            ? new ObjectResult(problem.ProblemDetails) { StatusCode = problem.StatusCode }
            : new NoContentResult();

    public async Task<IActionResult> OnPostUnpushAsync(string? endpoint, CancellationToken ct)
    {
        await devices.RemoveStaffAsync(Shop.Id, member.AccountId, endpoint, ct);
        return new NoContentResult();
    }

    private bool IsScripted => Request.Headers["X-Requested-With"] == "fetch";
}

/// <summary>What one card on the board shows.</summary>
public sealed record OrderCard(Order Order, Plaza.Features.Catalog.Shop Shop, bool HasPrinters = false)
{
    public string Money(long amount) => Currencies.Format(new Money(amount, Order.Currency));

    public string Local(DateTime utc) => OpeningSchedule.Local(Shop, utc);

    public IReadOnlyList<OrderStatus> Next => OrderLifecycle.NextOf(Order.Status);

    public static string ActionLabel(OrderStatus next) => next switch
    {
        OrderStatus.Accepted => "Accept",
        OrderStatus.Preparing => "Start preparing",
        OrderStatus.Ready => "Mark ready",
        OrderStatus.Completed => "Complete",
        _ => next.ToString(),
    };
}
