using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Mail;

namespace Plaza.Features.Reservations;

/// <summary>The guest's e-mails, queued in the outbox in the transaction that books, changes or cancels.</summary>
public sealed class ReservationMail(Outbox outbox, PublicOrigin origin)
{
    public enum Kind
    {
        Booked,
        Changed,
        Cancelled,
        Reminder,
    }

    /// <summary>Commits the caller's transaction with the queued mail, then wakes the mail worker.</summary>
    public Task CommitAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken ct) => outbox.CommitAsync(transaction, ct);

    public void Queue(Kind kind, Shop shop, Reservation reservation, ReservationSettings settings)
    {
        var zone = DateTimeZoneProviders.Tzdb[shop.TimeZone];
        var local = Instant.FromDateTimeUtc(DateTime.SpecifyKind(reservation.Start, DateTimeKind.Utc)).InZone(zone);
        var link = origin.Link($"/s/{shop.Slug}/reservations/{reservation.Id}");
        var until = local.Minus(NodaTime.Duration.FromMinutes(settings.CutoffMinutes));
        var (subject, body) = Outbox.In<(string, string)>(reservation.Language, () => kind switch
        {
            Kind.Cancelled => (Text.Say("Reservation cancelled: {0}", shop.Name),
                Text.Say("Your table for {0} at {1} on {2} at {3} is cancelled.", reservation.PartySize, shop.Name, local.Date.ToString("yyyy-MM-dd", null), local.ToString("HH:mm", null))),
            _ => (kind switch
            {
                Kind.Booked => Text.Say("Table reserved: {0}", shop.Name),
                Kind.Changed => Text.Say("Reservation changed: {0}", shop.Name),
                _ => Text.Say("Reminder: your table at {0}", shop.Name),
            },
                Text.Say("A table for {0} at {1} on {2} at {3}.", reservation.PartySize, shop.Name, local.Date.ToString("yyyy-MM-dd", null), local.ToString("HH:mm", null))
                + "\n\n" + Text.Say("View, change or cancel it until {0}: {1}", until.ToString("yyyy-MM-dd HH:mm", null), link)),
        });
        outbox.Add(reservation.Email, subject, body, kind == Kind.Cancelled ? null : Calendar(shop, reservation, link));
    }

    /// <summary>A table for a guest on the waitlist: the link books the time offered, if it is still free when they tap it.</summary>
    public void QueueOffer(Shop shop, WaitlistEntry entry, ZonedDateTime offered, string link)
    {
        var (subject, body) = Outbox.In<(string, string)>(entry.Language, () => (
            Text.Say("A table is free for you: {0}", shop.Name),
            Text.Say("A table for {0} at {1} is free on {2} at {3}.", entry.PartySize, shop.Name, offered.Date.ToString("yyyy-MM-dd", null), offered.ToString("HH:mm", null))
            + "\n\n" + Text.Say("Book it here while it is free: {0}", link)));
        outbox.Add(entry.Email, subject, body);
    }

    /// <summary>
    /// One event in the shop's own time zone (TZID and its VTIMEZONE), so a calendar shows the local start
    /// even on a daylight-saving day; the UID is the reservation's, so a change replaces the old entry.
    /// </summary>
    public static string Calendar(Shop shop, Reservation reservation, string link)
    {
        var zone = DateTimeZoneProviders.Tzdb[shop.TimeZone];
        var start = Instant.FromDateTimeUtc(DateTime.SpecifyKind(reservation.Start, DateTimeKind.Utc)).InZone(zone).LocalDateTime;
        var end = Instant.FromDateTimeUtc(DateTime.SpecifyKind(reservation.End, DateTimeKind.Utc)).InZone(zone).LocalDateTime;
        var calendar = new Calendar { ProductId = "-//Plaza//Reservations//EN" };
        calendar.AddTimeZone(shop.TimeZone);
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"{reservation.Id}@plaza",
            Summary = $"{shop.Name} ({reservation.PartySize})",
            Location = shop.Address,
            Description = link,
            DtStart = new CalDateTime(start.ToDateTimeUnspecified(), shop.TimeZone),
            DtEnd = new CalDateTime(end.ToDateTimeUnspecified(), shop.TimeZone),
            Sequence = reservation.Version,
            Url = new Uri(link),
        });
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}
