using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Ordering;

/// <summary>Which status may follow which; everything else is refused.</summary>
public static class OrderLifecycle
{
    private static readonly Dictionary<OrderStatus, OrderStatus[]> Next = new()
    {
        [OrderStatus.Placed] = [OrderStatus.Accepted, OrderStatus.Rejected, OrderStatus.Cancelled],
        [OrderStatus.Accepted] = [OrderStatus.Preparing, OrderStatus.Ready, OrderStatus.Cancelled],
        [OrderStatus.Preparing] = [OrderStatus.Ready, OrderStatus.Cancelled],
        [OrderStatus.Ready] = [OrderStatus.Completed, OrderStatus.Cancelled],
        [OrderStatus.Completed] = [],
        [OrderStatus.Rejected] = [],
        [OrderStatus.Cancelled] = [],
        // Only a refund (Loyalty.Refunds, owners only) leads here, never a status change.
        [OrderStatus.Refunded] = [],
    };

    public static bool CanMove(OrderStatus from, OrderStatus to) => Next[from].Contains(to);

    public static IReadOnlyList<OrderStatus> NextOf(OrderStatus from) => Next[from];

    public static bool NeedsReason(OrderStatus to) => to is OrderStatus.Rejected or OrderStatus.Cancelled;

    public static bool IsOpen(OrderStatus status) => Next[status].Length > 0;
}

public sealed record ChangeStatusRequest(string? Status, string? Reason, int? ReadyInMinutes);

/// <summary>
/// Moves an order one step. The update is conditional on the status it was read in, so two
/// staff tapping at once cannot both move it; a rejected or cancelled order gives its stock back, and the
/// coupons, points and balance it took; a member's completed order earns points, and a completed order counts for its customer.
/// </summary>
public sealed class ChangeStatus(PlazaDb db, ShopScope scope, TimeProvider clock, OrderEvents events, Members.MemberNotices notices, Mail.Outbox outbox)
{
    /// <param name="reasonCode">A reason Plaza gives itself (<see cref="OrderReasons"/>), in place of one written in the request.</param>
    public async Task<(OrderResponse? Order, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem)> HandleAsync(
        Guid orderId, ChangeStatusRequest request, string actor, CancellationToken ct, string? reasonCode = null)
    {
        var to = OrderWords.ParseStatus(request.Status);
        var invalid = new Dictionary<string, string[]>();
        if (to is null)
        {
            invalid["status"] = [Text.Say("Status must be accepted, preparing, ready, completed, rejected or cancelled.")];
        }
        else if (OrderLifecycle.NeedsReason(to.Value) && string.IsNullOrWhiteSpace(request.Reason) && reasonCode is null)
        {
            invalid["reason"] = [Text.Say("Say why, so the customer knows.")];
        }
        if (request.Reason is { Length: > 300 })
        {
            invalid["reason"] = [Text.Say("A reason has at most 300 characters.")];
        }
        if (request.ReadyInMinutes is < 0 or > 24 * 60)
        {
            invalid["readyInMinutes"] = [Text.Say("Between 0 and 1440 minutes.")];
        }
        if (invalid.Count > 0)
        {
            return (null, Problems.Invalid(invalid));
        }
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null)
        {
            return (null, Problems.NotFound(Text.Say("There is no such order in this shop.")));
        }
        var from = order.Status;
        if (!OrderLifecycle.CanMove(from, to!.Value))
        {
            return (null, Problems.Conflict("illegal-transition",
                Text.Say("An order that is {0} cannot become {1}.", Text.Say(OrderWords.StatusName(from)), Text.Say(OrderWords.StatusName(to.Value)))));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        DateTime? readyAt = request.ReadyInMinutes is { } minutes ? now.AddMinutes(minutes) : order.ReadyAt;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var moved = await db.Orders.Where(o => o.Id == orderId && o.Status == from)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, to.Value)
                    .SetProperty(o => o.Reason, reasonCode is null ? reason ?? order.Reason : null)
                    .SetProperty(o => o.ReasonCode, reasonCode ?? (reason is null ? order.ReasonCode : null))
                    .SetProperty(o => o.ReadyAt, readyAt), ct);
            if (moved == 0)
            {
                return (null, Problems.Conflict("illegal-transition", Text.Say("The order changed meanwhile; reload it and try again.")));
            }
            db.OrderTransitions.Add(new OrderTransition { ShopId = order.ShopId, OrderId = orderId, Status = to.Value, At = now, Actor = actor, Reason = reasonCode is null ? reason : null, ReasonCode = reasonCode });
            if (to is OrderStatus.Ready)
            {
                await notices.QueueReadyAsync(order, ct);
            }
            if (to is OrderStatus.Completed)
            {
                await Loyalty.Wallet.EarnAsync(db, scope.Current, order, actor, now, ct);
            }
            if (to is OrderStatus.Rejected or OrderStatus.Cancelled)
            {
                await GiveBackAsync(order, ct);
                await Loyalty.Wallet.ReleaseAsync(db, scope.Current, order, actor, now, ct);
            }
            await db.SaveChangesAsync(ct);
            if (to is OrderStatus.Completed)
            {
                await Campaigns.CustomerBook.CountAsync(db, scope.Current, order, ct);
            }
            await outbox.CommitAsync(tx, ct);
        }
        events.Publish(order.ShopId, orderId, to.Value);
        return (OrderResponse.ForStaff((await OrderQueries.FindAsync(db, orderId, ct))!), null);
    }

    /// <summary>Stock and the slot promised to an order that will not be made go back on offer.</summary>
    private async Task GiveBackAsync(Order order, CancellationToken ct)
    {
        foreach (var group in order.Lines.GroupBy(l => l.ItemId).OrderBy(g => g.Key))
        {
            var units = group.Sum(l => l.Quantity);
            await db.Items.Where(i => i.Id == group.Key && i.Stock != null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Stock, i => i.Stock + units), ct);
        }
        if (order.PickupAt is { } pickupAt)
        {
            var slot = new DateTimeOffset(pickupAt).ToUnixTimeSeconds();
            await db.SlotBookings.Where(b => b.SlotStart == slot && b.Count > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Count, b => b.Count - 1), ct);
        }
    }
}
