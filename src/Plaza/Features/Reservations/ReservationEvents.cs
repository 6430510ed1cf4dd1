using System.Collections.Concurrent;
using System.Threading.Channels;
using Plaza.Common;

namespace Plaza.Features.Reservations;

/// <summary>
/// Tells this process's open timelines that a shop's reservation or waitlist entry was made or changed.
/// Unlike orders there is no relay between app processes yet: on a node of several processes a
/// timeline sees the changes made through its own process at once and the others when it reloads.
/// </summary>
public sealed class ReservationEvents
{
    private readonly ConcurrentDictionary<Subscription, int> subscriptions = new();

    public void Publish(int shopId, Guid id)
    {
        foreach (var (subscription, shop) in subscriptions)
        {
            if (shop == shopId)
            {
                subscription.Channel.Writer.TryWrite(id);
            }
        }
    }

    /// <summary>Ids of one shop's reservations and waitlist entries as they change, until disposed.</summary>
    public Subscription Subscribe(int shopId)
    {
        var subscription = new Subscription(this);
        subscriptions[subscription] = shopId;
        return subscription;
    }

    public sealed class Subscription(ReservationEvents owner) : IDisposable
    {
        internal Channel<Guid> Channel { get; } = LiveChannel.Create<Guid>();

        /// <summary>Waits for the next change, or until <paramref name="timeout"/> passes (returns null).</summary>
        public async Task<Guid?> NextAsync(TimeSpan timeout, CancellationToken ct) =>
            await Channel.Reader.NextAsync(timeout, ct) is (true, var id) ? id : null;

        public void Dispose() => owner.subscriptions.TryRemove(this, out _);
    }
}
