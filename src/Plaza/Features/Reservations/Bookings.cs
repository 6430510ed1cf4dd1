using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Reservations;

/// <summary>
/// Books, changes and cancels reservations. A booking claims its table's quarter hours with one
/// conditional insert (<c>ON CONFLICT DO NOTHING</c> on the hold's primary key, the same statement on
/// SQLite and PostgreSQL): it has the table only when every quarter was inserted, so of any number of
/// requests racing for the last table, in one process or several, exactly one gets it.
/// </summary>
public sealed class Bookings(PlazaDb db, ShopScope scope, TimeProvider clock, ReservationMail mail, ReservationEvents events)
{
    public const int MaxNameLength = 80;
    public const int MaxNoteLength = 500;

    public abstract record Outcome;
    public sealed record Done(Reservation Reservation, bool Replayed = false) : Outcome;
    public sealed record Refused(ProblemHttpResult Problem) : Outcome;

    private Instant Now => Instant.FromDateTimeOffset(clock.GetUtcNow());

    public async Task<Outcome> BookAsync(BookingRequest request, string? key, string hash, long? memberId, CancellationToken ct)
    {
        var shop = scope.Current;
        if (key is not null && await ReplayAsync(key, hash, ct) is { } earlier)
        {
            return earlier;
        }
        var availability = await Availability.LoadAsync(db, shop, ct);
        if (availability is null)
        {
            return NotTaking();
        }
        var invalid = Check(request, availability.Settings);
        if (invalid.Count > 0)
        {
            return new Refused(Problems.Invalid(invalid));
        }
        var start = Instant.FromDateTimeOffset(request.Start!.Value);
        if (!availability.IsOffered(start, request.PartySize, Now))
        {
            return Unavailable();
        }
        var reservation = new Reservation
        {
            Id = Guid.NewGuid(),
            ShopId = shop.Id,
            Start = start.ToDateTimeUtc(),
            End = (start + availability.SeatingLength(request.PartySize)).ToDateTimeUtc(),
            PartySize = request.PartySize,
            Name = request.Name!.Trim(),
            Phone = Typed.Plain(request.Phone!).Trim(),
            Email = request.Email!.Trim(),
            Note = request.Note?.Trim() ?? "",
            Language = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh-Hans" : "en",
            MemberId = memberId,
            CreatedAt = Now.ToDateTimeUtc(),
            IdempotencyKey = key,
            RequestHash = key is null ? null : hash,
        };
        // Deposits and card guarantees (later, with online payment) belong here: a reservation that needs one would be
        // stored as awaiting its guarantee, holding its table for a few minutes, and become Booked once paid.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            if (await ClaimAsync(availability.Fitting(reservation.PartySize), reservation, ct) is not { } seating)
            {
                await tx.RollbackAsync(ct);
                // A retry that raced its own first request finds the table taken by itself.
                return key is not null && await ReplayAsync(key, hash, ct) is { } raced ? raced : Unavailable();
            }
            reservation.Tables = seating.Codes;
            db.Reservations.Add(reservation);
            mail.Queue(ReservationMail.Kind.Booked, shop, reservation, availability.Settings);
            await db.SaveChangesAsync(ct);
            await mail.CommitAsync(tx, ct);
        }
        catch (DbUpdateException e) when (key is not null && IsUniqueViolation(e))
        {
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return await ReplayAsync(key, hash, CancellationToken.None)
                ?? throw new InvalidOperationException("The idempotency key conflicted but no reservation has it.", e);
        }
        events.Publish(shop.Id, reservation.Id);
        return new Done(reservation);
    }

    public async Task<Outcome> ChangeAsync(Guid id, ChangeReservationRequest request, CancellationToken ct)
    {
        var shop = scope.Current;
        var reservation = await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        var availability = await Availability.LoadAsync(db, shop, ct);
        if (reservation is null || availability is null)
        {
            return new Refused(Problems.NotFound(Text.Say("There is no such reservation.")));
        }
        if (CutOff(reservation, availability.Settings) is { } closed)
        {
            return closed;
        }
        var party = request.PartySize ?? reservation.PartySize;
        var invalid = new Dictionary<string, string[]>();
        if (party < 1 || party > availability.Settings.MaxParty)
        {
            invalid["partySize"] = [Text.Say("A party of 1 to {0} can book online; call the shop for more.", availability.Settings.MaxParty)];
        }
        if (invalid.Count > 0)
        {
            return new Refused(Problems.Invalid(invalid));
        }
        var start = request.Start is { } wanted ? Instant.FromDateTimeOffset(wanted) : Instant.FromDateTimeUtc(DateTime.SpecifyKind(reservation.Start, DateTimeKind.Utc));
        if (!availability.IsOffered(start, party, Now))
        {
            return Unavailable();
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // First the reservation row, on the version read: two changes at once cannot both move it.
        var end = (start + availability.SeatingLength(party)).ToDateTimeUtc();
        if (await db.Reservations.Where(r => r.Id == id && r.Version == reservation.Version && r.Status == ReservationStatus.Booked)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Version, r => r.Version + 1), ct) == 0)
        {
            return new Refused(Problems.Conflict("reservation-changed", Text.Say("The reservation was changed meanwhile; reload it and try again.")));
        }
        await db.TableHolds.Where(h => h.ReservationId == id).ExecuteDeleteAsync(ct);
        var moved = new Reservation
        {
            Id = id,
            ShopId = shop.Id,
            Name = reservation.Name,
            Phone = reservation.Phone,
            Email = reservation.Email,
            Start = start.ToDateTimeUtc(),
            End = end,
            PartySize = party,
            Language = reservation.Language,
            Version = reservation.Version + 1,
        };
        if (await ClaimAsync(availability.Fitting(party), moved, ct) is not { } seating)
        {
            // Rolled back whole: the old holds and the old version come back, the reservation is as it was.
            await tx.RollbackAsync(ct);
            return Unavailable();
        }
        await db.Reservations.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Start, moved.Start).SetProperty(r => r.End, end).SetProperty(r => r.PartySize, party).SetProperty(r => r.Tables, seating.Codes), ct);
        moved.Tables = seating.Codes;
        mail.Queue(ReservationMail.Kind.Changed, shop, moved, availability.Settings);
        await db.SaveChangesAsync(ct);
        await mail.CommitAsync(tx, ct);
        events.Publish(shop.Id, id);
        return new Done(await db.Reservations.AsNoTracking().FirstAsync(r => r.Id == id, ct));
    }

    public async Task<Outcome> CancelAsync(Guid id, CancellationToken ct)
    {
        var shop = scope.Current;
        var reservation = await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        var settings = await db.ReservationSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        if (reservation is null || settings is null)
        {
            return new Refused(Problems.NotFound(Text.Say("There is no such reservation.")));
        }
        if (reservation.Status == ReservationStatus.Cancelled)
        {
            return new Done(reservation, Replayed: true);
        }
        if (CutOff(reservation, settings) is { } closed)
        {
            return closed;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Reservations.Where(r => r.Id == id && r.Version == reservation.Version && r.Status == ReservationStatus.Booked)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReservationStatus.Cancelled).SetProperty(r => r.Version, r => r.Version + 1), ct) == 0)
        {
            return new Refused(Problems.Conflict("reservation-changed", Text.Say("The reservation was changed meanwhile; reload it and try again.")));
        }
        await db.TableHolds.Where(h => h.ReservationId == id).ExecuteDeleteAsync(ct);
        mail.Queue(ReservationMail.Kind.Cancelled, shop, reservation, settings);
        await db.SaveChangesAsync(ct);
        await mail.CommitAsync(tx, ct);
        events.Publish(shop.Id, id);
        return new Done(await db.Reservations.AsNoTracking().FirstAsync(r => r.Id == id, ct));
    }

    /// <summary>
    /// Puts a guest on the waitlist of a full day. <paramref name="id"/> comes with the form (made when the page was
    /// shown), so the same form sent twice adds the guest once. Staff see the guest at once on the day's timeline.
    /// </summary>
    public async Task<(WaitlistEntry? Entry, Refused? Refused)> JoinWaitlistAsync(Guid id, LocalDate day, int party, string? time, string? name, string? phone, string? email, CancellationToken ct)
    {
        if (await db.Waitlist.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) is { } earlier)
        {
            return (earlier, null);
        }
        if (await Availability.LoadAsync(db, scope.Current, ct) is not { } availability)
        {
            return (null, NotTaking());
        }
        var invalid = CheckGuest(party, name, phone, email, availability.Settings);
        var today = availability.LocalDate(Now);
        if (day < today || day > today.PlusDays(availability.Settings.HorizonDays))
        {
            invalid["date"] = [Text.Say("Choose a date from today to {0} days ahead.", availability.Settings.HorizonDays)];
        }
        var wanted = time is null ? "" : Typed.Plain(time).Trim();
        if (wanted.Length > 0 && !WaitlistEntry.TimePattern.Parse(wanted).Success)
        {
            invalid["time"] = [Text.Say("Give a time like 19:30, or leave it empty for any time.")];
        }
        if (invalid.Count > 0)
        {
            return (null, new Refused(Problems.Invalid(invalid)));
        }
        var entry = new WaitlistEntry
        {
            Id = id,
            ShopId = scope.ShopId,
            Day = day.ToDateOnly(),
            PartySize = party,
            Time = wanted,
            Name = name!.Trim(),
            Phone = Typed.Plain(phone!).Trim(),
            Email = email!.Trim(),
            Language = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh-Hans" : "en",
            CreatedAt = Now.ToDateTimeUtc(),
        };
        db.Waitlist.Add(entry);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return (await db.Waitlist.AsNoTracking().FirstAsync(x => x.Id == id, CancellationToken.None), null);
        }
        events.Publish(scope.ShopId, id);
        return (entry, null);
    }

    /// <summary>Marks a waiting guest as booked once they booked from the offer (staff then see them off the list).</summary>
    public async Task TakeOffWaitlistAsync(Guid entryId, CancellationToken ct)
    {
        if (await db.Waitlist.Where(e => e.Id == entryId && e.Status != WaitlistStatus.Booked)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, WaitlistStatus.Booked), ct) > 0)
        {
            events.Publish(scope.ShopId, entryId);
        }
    }

    /// <summary>
    /// Tries each of <paramref name="candidates"/> (tables or combinations, in the order given) in a savepoint, inside
    /// the caller's transaction: the holds of all its tables for every quarter of the seating are inserted at once,
    /// rows sorted so that racing transactions meet in one order. Fewer rows inserted than asked means another
    /// reservation holds one of them.
    /// </summary>
    internal async Task<Seating?> ClaimAsync(IEnumerable<Seating> candidates, Reservation reservation, CancellationToken ct)
    {
        var quarters = TableHold.Quarters(new DateTimeOffset(reservation.Start, TimeSpan.Zero), new DateTimeOffset(reservation.End, TimeSpan.Zero)).ToList();
        var held = await Availability.HeldAsync(db, Instant.FromDateTimeUtc(reservation.Start), Instant.FromDateTimeUtc(reservation.End), reservation.Id, ct);
        var transaction = db.Database.CurrentTransaction!;
        // Tables seen taken go last, not away: what was read may already be stale, in either direction.
        foreach (var seating in candidates.OrderBy(s => s.TableIds.Any(t => quarters.Any(q => held.Contains((t, q))))))
        {
            await transaction.CreateSavepointAsync("hold", ct);
            var sql = new StringBuilder("""INSERT INTO "TableHolds" ("ShopId", "TableId", "Quarter", "ReservationId") VALUES """);
            var values = new List<object> { reservation.ShopId, reservation.Id };
            var rows = 0;
            foreach (var table in seating.TableIds)
            {
                foreach (var quarter in quarters)
                {
                    sql.Append(rows == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({{0}}, {{{values.Count}}}, {{{values.Count + 1}}}, {{1}})");
                    values.Add(table);
                    values.Add(quarter);
                    rows++;
                }
            }
            sql.Append(""" ON CONFLICT ("ShopId", "TableId", "Quarter") DO NOTHING""");
            if (await db.Database.ExecuteSqlRawAsync(sql.ToString(), values, ct) == rows)
            {
                await transaction.ReleaseSavepointAsync("hold", ct);
                return seating;
            }
            await transaction.RollbackToSavepointAsync("hold", ct);
        }
        return null;
    }

    private static Dictionary<string, string[]> Check(BookingRequest request, ReservationSettings settings)
    {
        var invalid = CheckGuest(request.PartySize, request.Name, request.Phone, request.Email, settings);
        if (request.Start is null)
        {
            invalid["start"] = [Text.Say("Choose one of the free times.")];
        }
        if (request.Note is { Length: > MaxNoteLength } || PlaceOrder.HasControlCharacters(request.Note, lineBreaks: true))
        {
            invalid["note"] = [Text.Say("A note has at most {0} characters.", MaxNoteLength)];
        }
        return invalid;
    }

    /// <summary>The party size and the guest's name, phone and e-mail, checked alike for a booking and the waitlist.</summary>
    internal static Dictionary<string, string[]> CheckGuest(int party, string? name, string? phone, string? email, ReservationSettings settings)
    {
        var invalid = new Dictionary<string, string[]>();
        if (party < 1 || party > settings.MaxParty)
        {
            invalid["partySize"] = [Text.Say("A party of 1 to {0} can book online; call the shop for more.", settings.MaxParty)];
        }
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxNameLength || PlaceOrder.HasControlCharacters(trimmed))
        {
            invalid["name"] = [Text.Say("Give a name of 1 to {0} characters.", MaxNameLength)];
        }
        if (!PlaceOrder.IsPhone(phone is { } typed ? Typed.Plain(typed).Trim() : ""))
        {
            invalid["phone"] = [Text.Say("Give a phone number of 6 to 20 digits.")];
        }
        var address = email?.Trim() ?? "";
        if (address.Length is 0 or > 254 || !System.Net.Mail.MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
        {
            invalid["email"] = [Text.Say("Give an e-mail address: the confirmation goes there.")];
        }
        return invalid;
    }

    private Refused? CutOff(Reservation reservation, ReservationSettings settings) =>
        reservation.Status != ReservationStatus.Booked
            ? new Refused(Problems.Conflict("reservation-closed", Text.Say("This reservation can no longer be changed online; please call the shop.")))
            : Now >= Instant.FromDateTimeUtc(DateTime.SpecifyKind(reservation.Start, DateTimeKind.Utc)) - Duration.FromMinutes(settings.CutoffMinutes)
                ? new Refused(Problems.Conflict("reservation-closed", Text.Say("Changes and cancellations close {0} minutes before the time; please call the shop.", settings.CutoffMinutes)))
                : null;

    private async Task<Outcome?> ReplayAsync(string key, string hash, CancellationToken ct)
    {
        var earlier = await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.IdempotencyKey == key, ct);
        return earlier is null ? null
            : earlier.RequestHash == hash ? new Done(earlier, Replayed: true)
            : new Refused(Problems.Unprocessable("idempotency-key-reused", Text.Say("This Idempotency-Key was used for a different request.")));
    }

    internal static Refused Unavailable() =>
        new(Problems.Conflict("table-unavailable", Text.Say("No table is free for the whole seating at that time; choose another."),
            new Dictionary<string, string[]> { ["start"] = [Text.Say("Not available.")] }));

    internal static Refused NotTaking() =>
        new(Problems.Conflict("reservations-off", Text.Say("This shop takes no reservations online.")));

    private static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is SqliteException { SqliteErrorCode: 19 } or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
