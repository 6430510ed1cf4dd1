using System.Collections.Concurrent;
using System.Threading.Channels;
using Plaza.Common;

namespace Plaza.Features.Ordering;

/// <summary>A change worth telling a watching customer or board about.</summary>
public sealed record OrderChanged(int ShopId, Guid OrderId, OrderStatus Status);

/// <summary>
/// Fan-out of order changes to open event streams (the customer's order page, the staff board).
/// On PostgreSQL, <see cref="PostgresOrderRelay"/> also forwards each change to the other app
/// processes on the same database, so a board open on one process sees orders placed on another.
/// </summary>
public sealed class OrderEvents
{
    private readonly ConcurrentDictionary<Subscription, byte> subscriptions = new();

    /// <summary>Set by a relay that tells other processes; null when this process is the only one.</summary>
    public Action<OrderChanged>? Forward { get; set; }

    public void Publish(int shopId, Guid orderId, OrderStatus status)
    {
        var change = new OrderChanged(shopId, orderId, status);
        Deliver(change);
        Forward?.Invoke(change);
    }

    /// <summary>Hands a change to this process's streams only.</summary>
    public void Deliver(OrderChanged change)
    {
        foreach (var subscription in subscriptions.Keys)
        {
            if ((subscription.ShopId == AllShops || subscription.ShopId == change.ShopId) && (subscription.OrderId is null || subscription.OrderId == change.OrderId))
            {
                subscription.Channel.Writer.TryWrite(change);
            }
        }
    }

    private const int AllShops = 0;

    /// <summary>Changes to every order of every shop: for the node's own workers, never for a client.</summary>
    public Subscription SubscribeAll() => Subscribe(AllShops, null);

    /// <summary>Changes to one order, or to every order of a shop when <paramref name="orderId"/> is null.</summary>
    public Subscription Subscribe(int shopId, Guid? orderId)
    {
        var subscription = new Subscription(this, shopId, orderId);
        subscriptions[subscription] = 0;
        return subscription;
    }

    public sealed class Subscription(OrderEvents owner, int shopId, Guid? orderId) : IDisposable
    {
        /// <summary>
        /// A shop's stream (a board) holds up to 1,024 changes between its writes, which it paces (a rush of 20,000 orders a
        /// second fits in 50 ms); one order's stream needs few.
        /// </summary>
        internal Channel<OrderChanged> Channel { get; } = LiveChannel.Create<OrderChanged>(orderId is null ? 1024 : 64);

        internal int ShopId => shopId;

        internal Guid? OrderId => orderId;

        /// <summary>Waits for the next change, or until <paramref name="timeout"/> passes (returns null).</summary>
        public async Task<OrderChanged?> NextAsync(TimeSpan timeout, CancellationToken ct) =>
            await Channel.Reader.NextAsync(timeout, ct) is (true, var change) ? change : null;

        /// <summary>A change already waiting, without waiting for one.</summary>
        public bool TryNext([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OrderChanged? change) => Channel.Reader.TryRead(out change);

        public void Dispose() => owner.subscriptions.TryRemove(this, out _);
    }
}
