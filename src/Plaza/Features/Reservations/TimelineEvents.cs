using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Reservations;

/// <param name="Id">The reservation or waitlist entry.</param>
/// <param name="Date">Its local date, so a timeline showing another day only tells of it.</param>
/// <param name="Status">The reservation's status word, or "waitlist".</param>
/// <param name="Time">Its local start time ("19:30"), or the time wanted on the waitlist.</param>
public sealed record TimelineEvent(Guid Id, string Date, string Status, string Time, int PartySize);

/// <summary>
/// The staff timeline's live stream: every change of the shop's reservations and waitlist, with a ping every 20 s;
/// it counts against the same per-person limit as the order board's streams.
/// </summary>
public static class TimelineEvents
{
    public static IResult Stream(ShopScope scope, ReservationEvents events, PlazaDb db, Console.ConsoleMember member, LiveStreams streams, HttpContext http, CancellationToken ct)
    {
        if (streams.TryOpen(http, ("board:" + member.AccountId, streams.Limits.BoardStreamsPerUser)) is { } refused)
        {
            return refused;
        }
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Changes(scope, events, db, ct));
    }

    private static async IAsyncEnumerable<SseItem<TimelineEvent>> Changes(ShopScope scope, ReservationEvents events, PlazaDb db, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = events.Subscribe(scope.ShopId);
        var zone = DateTimeZoneProviders.Tzdb[scope.Current.TimeZone];
        yield return new SseItem<TimelineEvent>(new TimelineEvent(Guid.Empty, "", "connected", "", 0), "hello");
        while (!ct.IsCancellationRequested)
        {
            var id = await subscription.NextAsync(TimeSpan.FromSeconds(20), ct);
            if (ct.IsCancellationRequested)
            {
                yield break;
            }
            if (id is null)
            {
                yield return new SseItem<TimelineEvent>(new TimelineEvent(Guid.Empty, "", "ping", "", 0), "ping");
                continue;
            }
            if (await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } reservation)
            {
                var local = Instant.FromDateTimeUtc(DateTime.SpecifyKind(reservation.Start, DateTimeKind.Utc)).InZone(zone);
                yield return new SseItem<TimelineEvent>(new TimelineEvent(reservation.Id, local.Date.ToString("yyyy-MM-dd", null),
                    ReservationResponse.Word(reservation.Status), local.ToString("HH:mm", null), reservation.PartySize), "reservation");
            }
            else if (await db.Waitlist.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) is { } entry)
            {
                yield return new SseItem<TimelineEvent>(new TimelineEvent(entry.Id, entry.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    "waitlist", entry.Time, entry.PartySize), "reservation");
            }
        }
    }
}
