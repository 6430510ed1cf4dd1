using System.Net;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Notifications;

/// <summary>
/// Sends queued notifications to the browsers' push services (RFC 8030), encrypted for each browser
/// (RFC 8291, <c>aes128gcm</c>) and signed with the node's VAPID key (RFC 8292), through the node's
/// checked outgoing HTTP (no private addresses). Woken when something is queued and every few seconds.
/// A note is claimed before it is sent (its next attempt moved ahead by a conditional update), so two
/// processes never send it twice; a push service that is down is tried again after 10 s, 20 s … 5 min,
/// and a notification nobody could take within its time to live is given up. A subscription the push
/// service no longer knows (404, 410) is removed with what it had queued.
/// </summary>
public sealed partial class PushWorker(IServiceScopeFactory scopes, IHttpClientFactory http, WebPushKeys keys, PublicOrigin origin, TimeProvider clock, ILogger<PushWorker> log) : BackgroundService
{
    private const int Batch = 50;
    /// <summary>How long a notification stays worth sending: an order's news is stale after this.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Claim = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly WakeSignal wake = new();

    public void Wake() => wake.Ring();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        WorkLoop.RunAsync(SendDueAsync, async (poll, ct) => await wake.WaitAsync(poll, ct), Poll, clock, e => SendingFailed(log, e), stoppingToken);

    /// <summary>Sends what is due, up to one batch; returns how many were due.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Set<PushNote>().IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(n => n.SentAt == null && n.GaveUpAt == null && n.NextAttemptAt <= now)
            .OrderBy(n => n.NextAttemptAt).Take(Batch)
            .Join(db.Set<PushDevice>().IgnoreQueryFilters([PlazaDb.ShopFilter]), n => n.DeviceId, d => d.Id, (n, d) => new { Note = n, Device = d })
            .ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }
        var vapid = await keys.GetAsync(ct);
        using var authentication = new VapidAuthentication(vapid.PublicKey, vapid.PrivateKey) { Subject = VapidSubject(origin) };
        var client = new PushServiceClient(http.CreateClient(FederationHttp.ClientName)) { DefaultAuthentication = authentication, AutoRetryAfter = false };
        foreach (var (note, device) in due.Select(d => (d.Note, d.Device)))
        {
            var claimed = await db.Set<PushNote>().IgnoreQueryFilters([PlazaDb.ShopFilter])
                .Where(n => n.Id == note.Id && n.NextAttemptAt == note.NextAttemptAt && n.SentAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.NextAttemptAt, now + Claim), ct);
            if (claimed == 0)
            {
                continue;
            }
            var outcome = await SendAsync(client, note, device, ct);
            var at = clock.GetUtcNow().UtcDateTime;
            var notes = db.Set<PushNote>().IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(n => n.Id == note.Id);
            switch (outcome)
            {
                case null:
                    await notes.ExecuteUpdateAsync(s => s.SetProperty(n => n.SentAt, at).SetProperty(n => n.Attempts, note.Attempts + 1), ct);
                    await db.Set<PushDevice>().IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(d => d.Id == device.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastDeliveredAt, at), ct);
                    break;
                case Gone:
                    DeviceGone(log, device.Id, device.ShopId);
                    await db.Set<PushDevice>().IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(d => d.Id == device.Id).ExecuteDeleteAsync(ct);
                    scope.ServiceProvider.GetRequiredService<Attendance>().Forget(device.ShopId);
                    break;
                case Failed failed:
                    var attempts = note.Attempts + 1;
                    var next = at + TimeSpan.FromSeconds(Math.Min(300, 10 << Math.Min(attempts - 1, 5)));
                    DateTime? gaveUp = next - note.CreatedAt > TimeToLive || failed.Final ? at : null;
                    NotSent(log, note.Id, attempts, failed.Error);
                    await notes.ExecuteUpdateAsync(s => s.SetProperty(n => n.Attempts, attempts).SetProperty(n => n.LastError, failed.Error)
                        .SetProperty(n => n.NextAttemptAt, next).SetProperty(n => n.GaveUpAt, gaveUp), ct);
                    break;
            }
        }
        return due.Count;
    }

    private abstract record Outcome;
    private sealed record Gone : Outcome;
    private sealed record Failed(string Error, bool Final) : Outcome;

    private async Task<Outcome?> SendAsync(PushServiceClient client, PushNote note, PushDevice device, CancellationToken ct)
    {
        var subscription = new PushSubscription { Endpoint = device.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, device.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, device.Auth);
        var payload = JsonSerializer.Serialize(new PushPayload(note.Title, note.Body, note.Url, note.Topic), Json);
        var left = TimeToLive - (clock.GetUtcNow().UtcDateTime - note.CreatedAt);
        var message = new PushMessage(payload)
        {
            // The push service's own topic replaces an undelivered message with a newer one of the same topic;
            // ours is per thing told of, so nothing is replaced. At most 32 base64url characters.
            TimeToLive = (int)Math.Max(60, left.TotalSeconds),
            Urgency = device.Audience == PushAudience.Staff ? PushMessageUrgency.High : PushMessageUrgency.Normal,
        };
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, message, ct);
            return null;
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return new Gone();
        }
        catch (PushServiceClientException e)
        {
            // 400 and 413 will not get better by trying again; 429 and 5xx may.
            var final = e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;
            return new Failed(Clip($"{(int)e.StatusCode} {e.Message}"), final);
        }
        catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new Failed(Clip(e.Message), Final: e is RemoteFetchRefusedException);
        }
    }

    /// <summary>
    /// Who push services may contact about this sender (RFC 8292 §2.1): the node's own https origin, or,
    /// for a node reached over plain http (on a laptop or a LAN), a mailto address at its host.
    /// </summary>
    internal static string VapidSubject(PublicOrigin origin) =>
        origin.IsHttps ? origin.Origin : $"mailto:operator@{origin.Url.IdnHost}";

    private static string Clip(string text) => text.Length > 1000 ? text[..1000] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending push notifications failed; trying again shortly.")]
    private static partial void SendingFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push note {Id} not sent (attempt {Attempts}): {Error}")]
    private static partial void NotSent(ILogger logger, long id, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push subscription {Id} of shop {ShopId} is gone; removed.")]
    private static partial void DeviceGone(ILogger logger, long id, int shopId);

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}

/// <summary>What the service worker receives: enough to show the notification and open the page on a tap.</summary>
public sealed record PushPayload(string Title, string Body, string Url, string Tag);
