using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Nearby;

/// <summary>Directory upkeep, bound from <c>Plaza:Nearby:*</c>.</summary>
public sealed class NearbyOptions
{
    /// <summary>How often known shops on other nodes are fetched again (and how stale one may be before it is).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A shop whose node has not answered for this long is dropped (one that answers 404/410 at once).</summary>
    public TimeSpan DropAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>At most this many shops are fetched per round, oldest first (and at most this many new ones learnt per directory pull).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How often each subscribed directory of another node is read again.</summary>
    public TimeSpan DirectoryPullInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Other nodes' directories subscribed to by configuration (node origins or directory URLs), besides <c>subscribe-directory</c>.</summary>
    public List<string> Directories { get; set; } = [];
}

/// <summary>
/// Keeps the nearby directory true: reads the subscribed directories of other nodes every
/// <see cref="NearbyOptions.DirectoryPullInterval"/> (<see cref="DirectorySubscriptions"/>), re-fetches
/// each known shop's actor once per <see cref="NearbyOptions.RefreshInterval"/> (name, place, hours may change), drops a shop whose
/// actor is gone (404/410) or no longer describes a shop, and one its node has not answered for
/// <see cref="NearbyOptions.DropAfter"/>.
/// </summary>
public sealed partial class DirectoryRefresh(IServiceScopeFactory scopes, NearbyOptions options, TimeProvider clock, ILogger<DirectoryRefresh> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = options.RefreshInterval < options.DirectoryPullInterval ? options.RefreshInterval : options.DirectoryPullInterval;
        // Not in the middle of start-up: the first round waits a little (or the interval, if shorter).
        var firstDelay = tick < TimeSpan.FromMinutes(1) ? tick : TimeSpan.FromMinutes(1);
        await Task.Delay(firstDelay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PullDirectoriesAsync(stoppingToken);
                await RefreshAsync(stoppingToken);
                await Task.Delay(tick, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRoundFailed(log, e);
                await Task.Delay(tick, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Reads the subscribed directories that are due; returns how many.</summary>
    public async Task<int> PullDirectoriesAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DirectorySubscriptions>().PullDueAsync(ct);
    }

    /// <summary>One round over the shops not seen within the refresh interval; returns how many were dropped.</summary>
    public async Task<int> RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var remote = scope.ServiceProvider.GetRequiredService<RemoteActors>();
        var now = clock.GetUtcNow().UtcDateTime;
        var staleBefore = now - options.RefreshInterval;
        var shops = await db.KnownShops.Where(s => s.LastSeenAt < staleBefore).OrderBy(s => s.LastSeenAt).Take(options.BatchSize).ToListAsync(ct);
        var dropped = 0;
        foreach (var shop in shops)
        {
            HttpStatusCode? status = null;
            KnownShop? fresh = null;
            try
            {
                var (code, document) = await remote.FetchJsonAsync(shop.ActorId, ct);
                using (document)
                {
                    status = code;
                    fresh = document is null ? null : ShopDirectory.Parse(document.RootElement, shop.ActorId);
                }
            }
            catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // Down, slow or blocked: judged by how long it has been silent.
            }
            var gone = status is HttpStatusCode.NotFound or HttpStatusCode.Gone || (status is { } ok && (int)ok is >= 200 and < 300 && fresh is null);
            if (fresh is not null)
            {
                (shop.Name, shop.Summary, shop.StorefrontUrl, shop.Latitude, shop.Longitude, shop.TimeZone, shop.OpeningHours) =
                    (fresh.Name, fresh.Summary, fresh.StorefrontUrl, fresh.Latitude, fresh.Longitude, fresh.TimeZone, fresh.OpeningHours);
                shop.LastSeenAt = now;
            }
            else if (gone || now - shop.LastSeenAt > options.DropAfter)
            {
                db.KnownShops.Remove(shop);
                dropped++;
            }
        }
        await db.SaveChangesAsync(ct);
        return dropped;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A directory refresh round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
