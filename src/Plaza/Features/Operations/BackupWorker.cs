namespace Plaza.Features.Operations;

/// <summary>
/// The running node's backup schedule: one every <see cref="BackupOptions.Interval"/> (counted from the newest archive
/// in the directory, so a restart neither skips nor doubles one; the first <see cref="BackupOptions.FirstAfter"/> a start), the oldest pruned beyond <see cref="BackupOptions.Keep"/>.
/// A failure is logged and tried again within the hour; <see cref="LastFailure"/> shows on the operator's console.
/// </summary>
public sealed partial class BackupWorker(Backups backups, TimeProvider clock, ILogger<BackupWorker> log) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromHours(1);

    /// <summary>Why the last scheduled backup failed, until one succeeds.</summary>
    public string? LastFailure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = backups.Options.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        var started = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = (backups.Newest() is { } newest ? newest + interval : started + backups.Options.FirstAfter) - clock.GetUtcNow();
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            try
            {
                await backups.TakeAsync(Backups.Prefix, stoppingToken);
                backups.Prune();
                LastFailure = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LastFailure = e.Message;
                LogFailed(e, backups.Directory);
                await Task.Delay(interval < RetryAfter ? interval : RetryAfter, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The scheduled backup into {Directory} failed")]
    private partial void LogFailed(Exception exception, string directory);
}
