using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Moderation;

/// <summary>
/// Sends the Flags of reports whose shop's actor could not be fetched when the customer reported it:
/// each due report is claimed (its retry time pushed forward, so another process skips it) and tried
/// again with the delivery back-off until the actor resolves or the attempts run out.
/// </summary>
public sealed partial class PendingFlags(IServiceScopeFactory scopes, FederationOptions options, TimeProvider clock, ILogger<PendingFlags> log)
    : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        WorkLoop.RunAsync(ForwardDueAsync, (wait, ct) => Task.Delay(wait, clock, ct), options.PollInterval, clock, e => LogLoopFailed(log, e), stoppingToken);

    /// <summary>Tries each report due for another attempt; returns how many it claimed.</summary>
    public async Task<int> ForwardDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Reports.AsNoTracking().Where(r => r.ForwardRetryAt != null && r.ForwardRetryAt <= now)
            .OrderBy(r => r.ForwardRetryAt).Select(r => new { r.Id, r.ForwardRetryAt }).Take(20).ToListAsync(ct);
        var claimed = 0;
        foreach (var report in due)
        {
            if (await db.Reports.Where(r => r.Id == report.Id && r.ForwardRetryAt == report.ForwardRetryAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.ForwardRetryAt, now + Lease), ct) == 0)
            {
                continue;
            }
            claimed++;
            await using var attempt = scopes.CreateAsyncScope();
            await attempt.ServiceProvider.GetRequiredService<Reports>().RetryForwardAsync(report.Id, ct);
        }
        return claimed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The pending Flags loop failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}
