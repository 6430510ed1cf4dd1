using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Plaza.Features.Reservations;

/// <summary>
/// Tells this process's open streams (the staff timeline) that a shop's reservation was made or changed.
/// Unlike orders there is no relay between app processes yet: on a node of several processes a
/// timeline sees the changes made through its own process at once and the others when it reloads.
/// </summary>
public sealed class ReservationEvents
{
    private readonly ConcurrentDictionary<Channel<Guid>, int> streams = new();

    public void Publish(int shopId, Guid reservationId)
    {
        foreach (var (stream, shop) in streams)
        {
            if (shop == shopId)
            {
                stream.Writer.TryWrite(reservationId);
            }
        }
    }

    /// <summary>Reservation ids of one shop as they change, until <paramref name="ct"/> ends the stream.</summary>
    public async IAsyncEnumerable<Guid> WatchAsync(int shopId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // Bounded and dropping the oldest: a slow reader misses stale changes, never blocks a booking.
        var stream = Channel.CreateBounded<Guid>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        streams[stream] = shopId;
        try
        {
            await foreach (var id in stream.Reader.ReadAllAsync(ct))
            {
                yield return id;
            }
        }
        finally
        {
            streams.TryRemove(stream, out _);
        }
    }
}
