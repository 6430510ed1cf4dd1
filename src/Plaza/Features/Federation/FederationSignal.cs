namespace Plaza.Features.Federation;

/// <summary>
/// Wakes the workers when this process wrote work for them, so an activity is handled in
/// milliseconds rather than at the next poll; rows written by other processes are found by polling.
/// </summary>
public sealed class FederationSignal : IDisposable
{
    private readonly SemaphoreSlim inbox = new(0, 1);
    private readonly SemaphoreSlim deliveries = new(0, 1);

    public void InboxArrived() => Release(inbox);

    public void DeliveriesQueued() => Release(deliveries);

    public Task WaitForInboxAsync(TimeSpan timeout, CancellationToken ct) => inbox.WaitAsync(timeout, ct);

    public Task WaitForDeliveriesAsync(TimeSpan timeout, CancellationToken ct) => deliveries.WaitAsync(timeout, ct);

    public void Dispose()
    {
        inbox.Dispose();
        deliveries.Dispose();
    }

    private static void Release(SemaphoreSlim semaphore)
    {
        try
        {
            semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake-up covers every row written meanwhile.
        }
    }
}
