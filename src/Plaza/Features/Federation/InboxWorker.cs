using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Features.Federation;

/// <summary>
/// Acts on stored inbox activities through the handlers features register (<see cref="IInboxHandler"/>):
/// follows, hubs, reports. Rows are claimed with a lease (a conditional UPDATE), so several processes on
/// one PostgreSQL never act on the same activity twice, and SQLite needs no SKIP LOCKED; a failing row is
/// retried with back-off, then given up.
/// </summary>
public sealed partial class InboxWorker(
    IServiceScopeFactory scopes, FederationSignal signal, FederationOptions options, TimeProvider clock, ILogger<InboxWorker> log)
    : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);
    private const int MaxAttempts = 5;
    private DateTime nextPrune = DateTime.MinValue;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        WorkLoop.RunAsync(ProcessBatchAsync, signal.WaitForInboxAsync, options.PollInterval, clock, e => LogLoopFailed(log, e), stoppingToken);

    /// <summary>Claims and processes one batch; returns how many rows it handled.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken ct)
    {
        List<long> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var now = clock.GetUtcNow().UtcDateTime;
            if (now >= nextPrune)
            {
                // Hourly; more often only where the operator keeps activities for less than an hour.
                nextPrune = now + (options.InboxRetention < PruneEvery ? options.InboxRetention : PruneEvery);
                await InboxBounds.PruneAsync(db, options, now, ct);
            }
            var owner = Guid.NewGuid();
            var candidates = await db.InboxActivities
                .Where(a => a.ProcessedAt == null && (a.LeaseUntil == null || a.LeaseUntil < now))
                .OrderBy(a => a.Id).Select(a => a.Id).Take(20).ToListAsync(ct);
            if (candidates.Count == 0)
            {
                return 0;
            }
            await db.InboxActivities
                .Where(a => candidates.Contains(a.Id) && a.ProcessedAt == null && (a.LeaseUntil == null || a.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LeaseOwner, owner).SetProperty(a => a.LeaseUntil, now + Lease), ct);
            claimed = await db.InboxActivities.Where(a => a.LeaseOwner == owner && candidates.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        }
        foreach (var id in claimed)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var row = await db.InboxActivities.SingleAsync(a => a.Id == id, ct);
            try
            {
                await HandleAsync(scope.ServiceProvider, db, row, ct);
                row.ProcessedAt = clock.GetUtcNow().UtcDateTime;
                row.Error = null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogActivityFailed(log, row.ActivityId, e);
                db.ChangeTracker.Clear();
                db.Attach(row);
                row.Attempts++;
                row.Error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
                var now = clock.GetUtcNow().UtcDateTime;
                if (row.Attempts >= MaxAttempts)
                {
                    row.ProcessedAt = now;
                }
                else
                {
                    row.LeaseUntil = now + (options.FirstRetryDelay * Math.Pow(2, row.Attempts - 1));
                }
            }
            row.LeaseOwner = null;
            await db.SaveChangesAsync(ct);
        }
        return claimed.Count;
    }

    private async Task HandleAsync(IServiceProvider services, PlazaDb db, InboxActivity row, CancellationToken ct)
    {
        var context = new InboxContext(services, db, row, (Activity)ActivityStreamsJson.Parse(row.Payload), clock.GetUtcNow().UtcDateTime);
        foreach (var handler in services.GetServices<IInboxHandler>())
        {
            if (await handler.HandleAsync(context, ct))
            {
                return;
            }
        }
        // Anything no feature claims (Like, a Create from a followed shop…) stays as received.
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbox worker loop failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing activity {ActivityId} failed")]
    private static partial void LogActivityFailed(ILogger logger, string activityId, Exception exception);
}
