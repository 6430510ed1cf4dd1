namespace Plaza.Common;

/// <summary>
/// A background worker's doorbell: code that wrote work for it rings, the worker waits for a ring or its poll interval,
/// whichever comes first. Rings while nobody waits count as one: one wake-up covers every row written meanwhile.
/// Rows written by other processes are found by polling.
/// </summary>
public sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim bell = new(0, 1);

    public void Ring()
    {
        if (bell.CurrentCount > 0)
        {
            return; // already rung (the usual case when many rows are written at once): no exception to pay for
        }
        try
        {
            bell.Release();
        }
        catch (SemaphoreFullException)
        {
            // Rung by another thread in between.
        }
    }

    /// <summary>True when rung, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => bell.WaitAsync(timeout, cancellationToken);

    public void Dispose() => bell.Dispose();
}
