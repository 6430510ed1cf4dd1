using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Loyalty;

public sealed record RefundRequest(long? Amount, string? Reason);

/// <summary>
/// The owner refunds a completed order, in full or in part, with a reason. The order moves to
/// <see cref="OrderStatus.Refunded"/> and remembers how much went back; what it was paid from the balance goes back
/// to the balance; the points it earned are reversed in proportion; a full refund also gives back the points it
/// used and releases its coupons. The update is conditional on the refunded amount it read, so two owners refunding
/// at once cannot give back more than the order's total.
/// </summary>
public sealed class Refunds(PlazaDb db, ShopScope scope, TimeProvider clock, OrderEvents events)
{
    public async Task<(OrderResponse? Order, ProblemHttpResult? Problem)> RefundAsync(Guid orderId, RefundRequest request, string actor, CancellationToken ct)
    {
        var reason = request.Reason?.Trim();
        var invalid = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(reason) || reason.Length > 300)
        {
            invalid["reason"] = [Text.Say("Say why in 1 to 300 characters; it is kept with the refund.")];
        }
        if (request.Amount is <= 0)
        {
            invalid["amount"] = [Text.Say("A refund is more than zero; leave it out to refund what is left.")];
        }
        if (invalid.Count > 0)
        {
            return (null, Problems.Invalid(invalid));
        }
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null)
        {
            return (null, Problems.NotFound(Text.Say("There is no such order in this shop.")));
        }
        if (order.Status is not (OrderStatus.Completed or OrderStatus.Refunded))
        {
            return (null, Problems.Conflict("not-refundable", Text.Say("Only a completed order can be refunded; reject or cancel an open one instead.")));
        }
        var left = order.Total - order.RefundedTotal;
        var amount = request.Amount ?? left;
        if (amount > left || left == 0)
        {
            return (null, Problems.Conflict("refund-too-large", Text.Say("At most {0} of this order is left to refund.", new Money(left, order.Currency)),
                new Dictionary<string, string[]> { ["amount"] = [Text.Say("At most {0}.", new Money(left, order.Currency))] }));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var refunded = order.RefundedTotal + amount;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var moved = await db.Orders.Where(o => o.Id == orderId && o.RefundedTotal == order.RefundedTotal
                    && (o.Status == OrderStatus.Completed || o.Status == OrderStatus.Refunded))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.RefundedTotal, refunded).SetProperty(o => o.Status, OrderStatus.Refunded), ct);
            if (moved == 0)
            {
                return (null, Problems.Conflict("refund-conflict", Text.Say("The order changed meanwhile; reload it and try again.")));
            }
            db.OrderRefunds.Add(new OrderRefund
            {
                ShopId = order.ShopId,
                OrderId = order.Id,
                Amount = amount,
                Reason = reason!,
                Actor = actor,
                At = now,
                BusinessDay = PlaceOrder.BusinessDayOf(scope.Current, Instant.FromDateTimeUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc))),
            });
            db.OrderTransitions.Add(new OrderTransition { ShopId = order.ShopId, OrderId = order.Id, Status = OrderStatus.Refunded, At = now, Actor = actor, Reason = reason });
            await ReverseAsync(order, amount, refunded, actor, now, ct);
            await db.SaveChangesAsync(ct);
            await Campaigns.CustomerBook.CountAsync(db, scope.Current, order, ct);
            await tx.CommitAsync(ct);
        }
        events.Publish(order.ShopId, orderId, OrderStatus.Refunded);
        return (OrderResponse.ForStaff((await OrderQueries.FindAsync(db, orderId, ct))!), null);
    }

    private async Task ReverseAsync(Order order, long amount, long refunded, string actor, DateTime now, CancellationToken ct)
    {
        if (order.MemberId is not { } member)
        {
            if (refunded == order.Total)
            {
                await Wallet.ReleaseAsync(db, scope.Current, order, actor, now, ct); // a guest's coupon use
            }
            return;
        }
        if (order.PaidFromBalance > 0)
        {
            await Wallet.MoveAsync(db, Wallet.Entry(scope.Current, member, LedgerAccount.Balance, LedgerKind.Returned, amount, order.Id, actor, now), ct: ct);
        }
        if (order.PointsEarned > 0)
        {
            // In proportion to the money given back, rounded down each time, so the last refund reverses the rest exactly.
            var before = order.PointsEarned * order.RefundedTotal / order.Total;
            var after = refunded == order.Total ? order.PointsEarned : order.PointsEarned * refunded / order.Total;
            if (after > before)
            {
                // Points already spent may take the sum below zero: the member owes them, as the ledger says.
                await Wallet.MoveAsync(db, Wallet.Entry(scope.Current, member, LedgerAccount.Points, LedgerKind.Reversed, -(after - before), order.Id, actor, now),
                    pointsMayGoNegative: true, ct);
            }
        }
        if (refunded == order.Total)
        {
            await Wallet.ReleaseAsync(db, scope.Current, order, actor, now, ct, balance: false); // the balance went back above, with the money
        }
    }
}
