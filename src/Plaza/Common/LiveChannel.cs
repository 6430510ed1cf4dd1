using System.Threading.Channels;

namespace Plaza.Common;

/// <summary>The channel behind one live stream's subscription (order board, order page, reservations timeline).</summary>
public static class LiveChannel
{
    /// <summary>
    /// Bounded and dropping the oldest: a slow reader misses stale changes, never blocks whoever publishes.
    /// </summary>
    public static Channel<T> Create<T>(int capacity = 64) =>
        Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>The next item, or nothing when <paramref name="timeout"/> passes first (a stream then sends its ping).</summary>
    public static async Task<(bool Read, T Item)> NextAsync<T>(this ChannelReader<T> reader, TimeSpan timeout, CancellationToken ct)
    {
        // One already waiting needs no timer: under load that is most of them.
        if (reader.TryRead(out var ready))
        {
            return (true, ready);
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(timeout);
        try
        {
            return (true, await reader.ReadAsync(wait.Token));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, default!);
        }
    }
}
