namespace Plaza.Features.Federation;

/// <summary>
/// The loop both federation workers run: drain batches until none is left, then sleep until
/// signalled (this process wrote work) or the poll interval passes (another process did, or a
/// retry fell due). A failing batch is logged and retried after the interval; it never ends the loop.
/// </summary>
internal static class WorkLoop
{
    public static async Task RunAsync(
        Func<CancellationToken, Task<int>> batch,
        Func<TimeSpan, CancellationToken, Task> waitForWork,
        TimeSpan pollInterval,
        TimeProvider clock,
        Action<Exception> logFailure,
        CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await batch(stoppingToken) > 0)
                {
                }
                await waitForWork(pollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logFailure(e);
                await Task.Delay(pollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
