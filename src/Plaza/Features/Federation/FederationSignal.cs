using Plaza.Common;

namespace Plaza.Features.Federation;

/// <summary>
/// Wakes the inbox and delivery workers when this process wrote work for them, so an activity is handled in
/// milliseconds rather than at the next poll.
/// </summary>
public sealed class FederationSignal : IDisposable
{
    private readonly WakeSignal inbox = new();
    private readonly WakeSignal deliveries = new();

    public void InboxArrived() => inbox.Ring();

    public void DeliveriesQueued() => deliveries.Ring();

    public Task WaitForInboxAsync(TimeSpan timeout, CancellationToken ct) => inbox.WaitAsync(timeout, ct);

    public Task WaitForDeliveriesAsync(TimeSpan timeout, CancellationToken ct) => deliveries.WaitAsync(timeout, ct);

    public void Dispose()
    {
        inbox.Dispose();
        deliveries.Dispose();
    }
}
