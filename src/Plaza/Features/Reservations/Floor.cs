using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Reservations;

/// <summary>
/// The staff's side of the day: parties arrive, sit, finish or do not come; walk-ins take a free table on the
/// spot; a guest on the waitlist is offered a table that freed up. Every move is conditional on the status and
/// version read, so two tablets tapping at once cannot both move a party, and every move that frees a table
/// gives its holds back at once, so it can be booked again.
/// </summary>
public sealed class Floor(PlazaDb db, ShopScope scope, TimeProvider clock, ReservationMail mail, ReservationEvents events, Bookings bookings, PublicOrigin origin)
{
    /// <summary>The shortest stay a walk-in is seated for; a table booked sooner than this is not offered.</summary>
    public static readonly Duration ShortestWalkIn = Duration.FromMinutes(30);

    /// <summary>Where a party can go from each status, in the order the timeline offers the buttons.</summary>
    public static IReadOnlyList<ReservationStatus> NextOf(ReservationStatus status) => status switch
    {
        ReservationStatus.Booked => [ReservationStatus.Seated, ReservationStatus.Arrived, ReservationStatus.NoShow, ReservationStatus.Cancelled],
        ReservationStatus.Arrived => [ReservationStatus.Seated, ReservationStatus.Cancelled],
        ReservationStatus.Seated => [ReservationStatus.Finished],
        _ => [],
    };

    private Instant Now => Instant.FromDateTimeOffset(clock.GetUtcNow());

    public async Task<Bookings.Outcome> MoveAsync(Guid id, ReservationStatus to, CancellationToken ct)
    {
        var reservation = await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reservation is null)
        {
            return new Bookings.Refused(Problems.NotFound(Text.Say("There is no such reservation.")));
        }
        if (reservation.Status == to)
        {
            return new Bookings.Done(reservation, Replayed: true); // a second tap on the same button
        }
        if (!NextOf(reservation.Status).Contains(to))
        {
            return new Bookings.Refused(Problems.Conflict("illegal-transition", Text.Say("This reservation is {0} and cannot become {1}.",
                Text.Say(Words.Status(reservation.Status)), Text.Say(Words.Status(to)))));
        }
        var now = Now.ToDateTimeUtc();
        if (to == ReservationStatus.NoShow && now < reservation.Start)
        {
            return new Bookings.Refused(Problems.Conflict("illegal-transition", Text.Say("A party is a no-show only once its time has come.")));
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        DateTime? seatedAt = to == ReservationStatus.Seated ? now : reservation.SeatedAt;
        DateTime? finishedAt = to == ReservationStatus.Finished ? now : reservation.FinishedAt;
        if (await db.Reservations.Where(r => r.Id == id && r.Version == reservation.Version && r.Status == reservation.Status)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, to).SetProperty(r => r.Version, r => r.Version + 1)
                .SetProperty(r => r.SeatedAt, seatedAt).SetProperty(r => r.FinishedAt, finishedAt), ct) == 0)
        {
            return new Bookings.Refused(Problems.Conflict("reservation-changed", Text.Say("The reservation was changed meanwhile; reload it and try again.")));
        }
        if (to is ReservationStatus.NoShow or ReservationStatus.Cancelled)
        {
            await db.TableHolds.Where(h => h.ReservationId == id).ExecuteDeleteAsync(ct);
        }
        else if (to == ReservationStatus.Finished)
        {
            // The quarter the party leaves in stays held (the table is being cleared); every later one is free again.
            var next = (Now.ToUnixTimeSeconds() / TableHold.QuarterSeconds + 1) * TableHold.QuarterSeconds;
            await db.TableHolds.Where(h => h.ReservationId == id && h.Quarter >= next).ExecuteDeleteAsync(ct);
        }
        if (to == ReservationStatus.Cancelled && !reservation.WalkIn)
        {
            mail.Queue(ReservationMail.Kind.Cancelled, scope.Current, reservation, await SettingsAsync(ct));
            await db.SaveChangesAsync(ct);
        }
        await mail.CommitAsync(tx, ct);
        events.Publish(scope.ShopId, id);
        return new Bookings.Done(await db.Reservations.AsNoTracking().FirstAsync(r => r.Id == id, ct));
    }

    /// <summary>
    /// Seats a party that walked in at the table or combination named by <paramref name="tables"/> ("4" or "4+5"),
    /// from now for its seating length or until the table's next reservation, whichever comes first.
    /// </summary>
    public async Task<Bookings.Outcome> WalkInAsync(string? tables, int party, string? name, CancellationToken ct)
    {
        var floor = await Availability.LoadFloorAsync(db, scope.Current, ct);
        var seating = floor.Seatings.FirstOrDefault(s => s.Codes == tables?.Trim());
        var invalid = new Dictionary<string, string[]>();
        if (seating is null)
        {
            invalid["tables"] = [Text.Say("Choose a table.")];
        }
        if (party < 1 || party > 99)
        {
            invalid["partySize"] = [Text.Say("Give a party of 1 to {0}.", 99)];
        }
        var who = string.IsNullOrWhiteSpace(name) ? Text.Say("Walk-in") : name.Trim();
        if (who.Length > Bookings.MaxNameLength || PlaceOrder.HasControlCharacters(who))
        {
            invalid["name"] = [Text.Say("Give a name of 1 to {0} characters.", Bookings.MaxNameLength)];
        }
        if (invalid.Count > 0)
        {
            return new Bookings.Refused(Problems.Invalid(invalid));
        }
        var now = Now;
        var end = now + floor.SeatingLength(party);
        var held = await Availability.HeldAsync(db, now, end, null, ct);
        var blocked = held.Where(h => seating!.TableIds.Contains(h.TableId)).Select(h => (long?)h.Quarter).Min();
        if (blocked is { } quarter)
        {
            end = Instant.FromUnixTimeSeconds(Math.Max(quarter, now.ToUnixTimeSeconds()));
        }
        if (end - now < ShortestWalkIn)
        {
            return new Bookings.Refused(Problems.Conflict("table-unavailable", blocked <= now.ToUnixTimeSeconds()
                ? Text.Say("Table {0} is taken now; choose another.", seating!.Codes)
                : Text.Say("Table {0} is reserved from {1}; choose another.", seating!.Codes, floor.LocalTime(end)),
                new Dictionary<string, string[]> { ["tables"] = [Text.Say("Not available.")] }));
        }
        var reservation = new Reservation
        {
            Id = Guid.NewGuid(),
            ShopId = scope.ShopId,
            Start = now.ToDateTimeUtc(),
            End = end.ToDateTimeUtc(),
            PartySize = party,
            Name = who,
            Phone = "",
            Email = "",
            Language = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh-Hans" : "en",
            Status = ReservationStatus.Seated,
            WalkIn = true,
            SeatedAt = now.ToDateTimeUtc(),
            CreatedAt = now.ToDateTimeUtc(),
            Tables = seating!.Codes,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await bookings.ClaimAsync([seating], reservation, ct) is null)
        {
            await tx.RollbackAsync(ct);
            return Bookings.Unavailable();
        }
        db.Reservations.Add(reservation);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        events.Publish(scope.ShopId, reservation.Id);
        return new Bookings.Done(reservation);
    }

    /// <summary>
    /// Offers a waiting guest the free time nearest the one they asked for (the first of the day when they named none)
    /// by e-mail, with a link that books it; the table is theirs only when they book, like anyone's. Returns the
    /// problem, or the local time offered.
    /// </summary>
    public async Task<(ProblemHttpResult? Problem, string? Time)> OfferAsync(Guid entryId, CancellationToken ct)
    {
        var entry = await db.Waitlist.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, ct);
        if (entry is null || entry.Status is WaitlistStatus.Booked or WaitlistStatus.Removed)
        {
            return (Problems.NotFound(Text.Say("That guest is no longer on the waitlist.")), null);
        }
        if (await Availability.LoadAsync(db, scope.Current, ct) is not { } availability)
        {
            return (Bookings.NotTaking().Problem, null);
        }
        var day = LocalDate.FromDateOnly(entry.Day);
        var times = await availability.FreeTimesAsync(db, day, entry.PartySize, Now, null, ct);
        if (times.Count == 0)
        {
            return (Problems.Conflict("table-unavailable", Text.Say("No table is free for a party of {0} on {1} yet.", entry.PartySize, entry.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))), null);
        }
        var wanted = WaitlistEntry.TimePattern.Parse(entry.Time) is { Success: true } parsed
            ? day.At(parsed.Value).InZoneLeniently(availability.Zone).ToInstant() : times[0];
        var offered = times.MinBy(t => Math.Abs((t - wanted).TotalTicks));
        var now = Now.ToDateTimeUtc();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Waitlist.Where(e => e.Id == entryId && (e.Status == WaitlistStatus.Waiting || e.Status == WaitlistStatus.Offered))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, WaitlistStatus.Offered).SetProperty(e => e.OfferedAt, now).SetProperty(e => e.OfferedStart, offered.ToDateTimeUtc()), ct) == 0)
        {
            return (Problems.NotFound(Text.Say("That guest is no longer on the waitlist.")), null);
        }
        var link = origin.Link(OfferPath(scope.Current.Slug, entry, offered, availability));
        mail.QueueOffer(scope.Current, entry, offered.InZone(availability.Zone), link);
        await db.SaveChangesAsync(ct);
        await mail.CommitAsync(tx, ct);
        events.Publish(scope.ShopId, entryId);
        return (null, availability.LocalTime(offered));
    }

    /// <summary>The booking page with the waiting guest's date, party and offered time chosen.</summary>
    public static string OfferPath(string slug, WaitlistEntry entry, Instant offered, Availability availability) =>
        $"/s/{slug}/reserve?date={entry.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&party={entry.PartySize}"
        + $"&at={Uri.EscapeDataString(offered.ToDateTimeOffset().ToString("o", CultureInfo.InvariantCulture))}&w={entry.Id:N}";

    public async Task RemoveFromWaitlistAsync(Guid entryId, CancellationToken ct)
    {
        if (await db.Waitlist.Where(e => e.Id == entryId && e.Status != WaitlistStatus.Booked)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, WaitlistStatus.Removed), ct) > 0)
        {
            events.Publish(scope.ShopId, entryId);
        }
    }

    private async Task<ReservationSettings> SettingsAsync(CancellationToken ct) =>
        await db.ReservationSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new ReservationSettings { ShopId = scope.ShopId };

    /// <summary>The English words of a status, the keys of their translations.</summary>
    public static class Words
    {
        public static string Status(ReservationStatus status) => status switch
        {
            ReservationStatus.Booked => Text.Key("Reserved"),
            ReservationStatus.Arrived => Text.Key("Arrived"),
            ReservationStatus.Seated => Text.Key("Seated"),
            ReservationStatus.Finished => Text.Key("Finished"),
            ReservationStatus.NoShow => Text.Key("No-show"),
            _ => Text.Key("Cancelled"),
        };

        /// <summary>The button that moves a party to <paramref name="to"/>.</summary>
        public static string Action(ReservationStatus to) => to switch
        {
            ReservationStatus.Seated => Text.Key("Check in and seat"),
            ReservationStatus.Arrived => Text.Key("Arrived, waiting"),
            ReservationStatus.Finished => Text.Key("Finished"),
            ReservationStatus.NoShow => Text.Key("No-show"),
            _ => Text.Key("Cancel"),
        };
    }
}
