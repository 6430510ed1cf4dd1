using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Federation.ActivityStreams;
using Plaza.Federation.Signatures;

namespace Plaza.Features.Federation;

/// <summary>
/// Drains the delivery outbox: each row is signed afresh per attempt (draft-cavage first, RFC 9421
/// when the peer answers 401 — the "double knock"), retried with exponential back-off and jitter,
/// given up on a permanent refusal (4xx other than 401/408/429), held back while its host's
/// circuit is open (in memory, minutes), and given up without an attempt while the host is marked
/// unavailable (in the store, after days of failure: <see cref="HostHealth"/>). Rows are claimed
/// with a lease, as in <see cref="InboxWorker"/>.
/// </summary>
public sealed partial class DeliveryWorker(
    IServiceScopeFactory scopes, IHttpClientFactory http, FederationSignal signal, FederationOptions options,
    TimeProvider clock, ILogger<DeliveryWorker> log) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<string, Circuit> hosts = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Circuit(int ConsecutiveFailures, DateTime OpenUntil);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        WorkLoop.RunAsync(DeliverBatchAsync, signal.WaitForDeliveriesAsync, options.PollInterval, clock, e => LogLoopFailed(log, e), stoppingToken);

    public async Task<int> DeliverBatchAsync(CancellationToken ct)
    {
        List<(long Id, int? ShopId)> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var now = clock.GetUtcNow().UtcDateTime;
            var owner = Guid.NewGuid();
            var due = db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter])
                .Where(d => d.DeliveredAt == null && d.FailedAt == null && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now));
            var candidates = await due.OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(20).ToListAsync(ct);
            if (candidates.Count == 0)
            {
                return 0;
            }
            await due.Where(d => candidates.Contains(d.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, owner).SetProperty(d => d.LeaseUntil, now + Lease), ct);
            claimed = [.. (await db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter])
                .Where(d => d.LeaseOwner == owner && candidates.Contains(d.Id)).Select(d => new { d.Id, d.ShopId }).ToListAsync(ct))
                .Select(d => (d.Id, d.ShopId))];
        }
        // Make each sender's key before fanning out, so parallel deliveries don't race to create it.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var keys = scope.ServiceProvider.GetRequiredService<FederationKeys>();
            foreach (var shopId in claimed.Select(d => d.ShopId).Distinct())
            {
                if (shopId is { } id)
                {
                    await keys.ForShopAsync(id, ct);
                }
                else
                {
                    await keys.InstanceAsync(ct);
                }
            }
        }
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (delivery, token) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await DeliverAsync(scope.ServiceProvider, delivery.Id, delivery.ShopId, token);
        });
        return claimed.Count;
    }

    private async Task DeliverAsync(IServiceProvider services, long id, int? shopId, CancellationToken ct)
    {
        var db = services.GetRequiredService<PlazaDb>();
        Shop? shop = null;
        if (shopId is { } sender)
        {
            // A shop's delivery is handled in that shop's scope, like a request of the shop's.
            shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == sender, ct);
            services.GetRequiredService<ShopScope>().Enter(shop);
        }
        // The instance actor's deliveries belong to no shop: only they are read with the filter lifted.
        var rows = shop is null ? db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(d => d.ShopId == null) : db.Deliveries;
        var row = await rows.SingleAsync(d => d.Id == id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        row.LeaseOwner = null;
        row.LeaseUntil = null;
        if (hosts.TryGetValue(row.Host, out var health) && health.OpenUntil > now)
        {
            // The host is failing: don't spend an attempt on it until the circuit closes.
            row.NextAttemptAt = health.OpenUntil;
            await db.SaveChangesAsync(ct);
            return;
        }

        if (await services.GetRequiredService<RemoteActors>().IsBlockedAsync(row.Inbox, ct))
        {
            // Blocked after the row was queued: nothing goes to that domain any more.
            row.FailedAt = now;
            row.LastError = "The domain is blocked on this node.";
            await db.SaveChangesAsync(ct);
            return;
        }

        if (await HostHealth.IsUnavailableAsync(db, row.Host, ct))
        {
            // Failed for days on end: not attempted until the host is heard from (HostProbe, or a signed activity from it).
            row.FailedAt = now;
            row.LastError = HostHealth.Unavailable;
            await db.SaveChangesAsync(ct);
            return;
        }

        int? status = null;
        TimeSpan? retryAfter = null;
        string? error = null;
        try
        {
            var keys = services.GetRequiredService<FederationKeys>();
            var key = row.HubId is { } hubId ? await Hubs.HubKeys.SigningKeyAsync(db, services.GetRequiredService<ActorUrls>(), hubId, ct)
                : shop is not null ? await keys.SigningKeyForShopAsync(shop.Id, shop.Slug, ct)
                : await keys.SigningKeyForInstanceAsync(ct);
            using var first = await SendAsync(row, key, rfc9421: false, ct);
            var response = first;
            HttpResponseMessage? second = null;
            if (first.StatusCode == HttpStatusCode.Unauthorized)
            {
                // Double knock: a peer that wants RFC 9421 refuses the cavage signature; sign again the other way.
                second = await SendAsync(row, key, rfc9421: true, ct);
                response = second;
            }
            using (second)
            {
                status = (int)response.StatusCode;
                retryAfter = response.Headers.RetryAfter?.Delta
                    ?? (response.Headers.RetryAfter?.Date is { } date ? date - clock.GetUtcNow() : null);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or RemoteFetchRefusedException && !ct.IsCancellationRequested)
        {
            error = e.Message;
        }

        row.Attempts++;
        row.LastStatus = status;
        row.LastError = error is { Length: > 2000 } ? error[..2000] : error;
        now = clock.GetUtcNow().UtcDateTime;
        if (status is >= 200 and < 300)
        {
            row.DeliveredAt = now;
            hosts.TryRemove(row.Host, out _);
        }
        else if (status is >= 400 and < 500 and not 401 and not 408 and not 429)
        {
            // 404, 410, 400, 403…: the peer will not change its mind by being asked again.
            row.FailedAt = now;
        }
        else if (row.Attempts >= options.MaxAttempts)
        {
            row.FailedAt = now;
        }
        else
        {
            row.NextAttemptAt = now + (retryAfter is { } wait && wait > TimeSpan.Zero ? wait : options.RetryDelay(row.Attempts));
            if (status is null or >= 500)
            {
                var failures = hosts.AddOrUpdate(row.Host, _ => new Circuit(1, DateTime.MinValue),
                    (_, h) => h with { ConsecutiveFailures = h.ConsecutiveFailures + 1 });
                if (failures.ConsecutiveFailures >= options.CircuitFailureThreshold)
                {
                    hosts[row.Host] = failures with { OpenUntil = now + options.CircuitOpenFor };
                }
            }
        }
        await db.SaveChangesAsync(ct);
        if (status is < 500)
        {
            // It answered, so it is reachable, whatever it thought of this delivery.
            await HostHealth.ClearAsync(db, row.Host, options, now, ct);
        }
        else if (await HostHealth.RecordFailureAsync(db, row.Host, row.Inbox, error ?? $"HTTP {status}", now, options.UnavailableAfter, ct))
        {
            LogHostUnavailable(log, row.Host);
        }
        if (row.DeliveredAt is null)
        {
            LogNotDelivered(log, row.ActivityId, row.Inbox, status, error);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Delivery row, SigningKey key, bool rfc9421, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, row.Inbox)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(row.Payload)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ActivityStreamsMediaTypes.Activity);
        request.Headers.Accept.ParseAdd(ActivityStreamsMediaTypes.Activity);
        if (rfc9421)
        {
            await Rfc9421Signature.SignAsync(request, key, clock, ct);
        }
        else
        {
            await CavageSignature.SignAsync(request, key, clock, ct);
        }
        return await http.CreateClient(FederationHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The delivery worker loop failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Host} has failed for too long and is marked unavailable; deliveries to it stop until it is heard from")]
    private static partial void LogHostUnavailable(ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery of {ActivityId} to {Inbox} not done: status {Status}, {Error}")]
    private static partial void LogNotDelivered(ILogger logger, string activityId, string inbox, int? status, string? error);
}
