using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Federation;

/// <summary>
/// Asks each unavailable host once per <see cref="FederationOptions.ProbeInterval"/> whether it is back
/// (a GET of its NodeInfo links through the guarded federation client); any HTTP answer below 500 clears
/// the mark, so deliveries to it resume.
/// </summary>
public sealed partial class HostProbe(IServiceScopeFactory scopes, IHttpClientFactory http, FederationOptions options, TimeProvider clock, ILogger<HostProbe> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.ProbeInterval, clock, stoppingToken);
                await ProbeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRoundFailed(log, e);
            }
        }
    }

    /// <summary>Probes the unavailable hosts not probed within the interval; returns how many it cleared.</summary>
    public async Task<int> ProbeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var remote = scope.ServiceProvider.GetRequiredService<RemoteActors>();
        var now = clock.GetUtcNow().UtcDateTime;
        var probedBefore = now - options.ProbeInterval;
        var due = await db.FailingHosts.AsNoTracking()
            .Where(h => h.UnavailableSince != null && (h.LastProbeAt == null || h.LastProbeAt <= probedBefore))
            .OrderBy(h => h.LastProbeAt).Take(50).ToListAsync(ct);
        var cleared = 0;
        foreach (var host in due)
        {
            // Claimed by moving LastProbeAt, so another process does not probe the same host now.
            if (await db.FailingHosts.Where(h => h.Host == host.Host && h.LastProbeAt == host.LastProbeAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(h => h.LastProbeAt, now), ct) == 0
                || await remote.IsBlockedAsync(host.ProbeUrl, ct))
            {
                continue;
            }
            try
            {
                using var response = await http.CreateClient(FederationHttp.ClientName).GetAsync(host.ProbeUrl, HttpCompletionOption.ResponseHeadersRead, ct);
                if ((int)response.StatusCode < 500)
                {
                    await HostHealth.ClearAsync(db, host.Host, options, clock.GetUtcNow().UtcDateTime, ct);
                    cleared++;
                }
            }
            catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // Still down.
            }
        }
        return cleared;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A host probe round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
