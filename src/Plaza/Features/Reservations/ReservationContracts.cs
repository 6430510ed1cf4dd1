using NodaTime;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Features.Reservations;

/// <summary>A new reservation: one of the times availability offered, the party, and how to reach the guest.</summary>
public sealed record BookingRequest(DateTimeOffset? Start, int PartySize, string? Name, string? Phone, string? Email, string? Note);

/// <summary>Moves a reservation to another time or party size; what is left out stays.</summary>
public sealed record ChangeReservationRequest(DateTimeOffset? Start, int? PartySize);

/// <param name="SeatingMinutes">How long the party keeps its table.</param>
/// <param name="Times">Start times with a table free for the whole seating.</param>
public sealed record AvailabilityResponse(string Date, int PartySize, int SeatingMinutes, IReadOnlyList<SlotResponse> Times);

/// <param name="Status">booked, arrived, seated, finished, noShow or cancelled.</param>
/// <param name="Tables">The table or combined tables, e.g. "4+5".</param>
/// <param name="ChangeableUntil">The guest may change or cancel online until then (the shop's cut-off).</param>
public sealed record ReservationResponse(
    Guid Id, string Status, DateTimeOffset Start, DateTimeOffset End, string LocalDate, string LocalTime, int PartySize,
    string Name, string Phone, string Email, string Note, string Tables, DateTimeOffset ChangeableUntil, bool Changeable, string Link)
{
    public static ReservationResponse From(Reservation r, Shop shop, ReservationSettings settings, Instant now)
    {
        var start = Instant.FromDateTimeUtc(DateTime.SpecifyKind(r.Start, DateTimeKind.Utc));
        var local = start.InZone(DateTimeZoneProviders.Tzdb[shop.TimeZone]);
        var until = start - Duration.FromMinutes(settings.CutoffMinutes);
        return new ReservationResponse(r.Id, Word(r.Status), start.ToDateTimeOffset(), new DateTimeOffset(DateTime.SpecifyKind(r.End, DateTimeKind.Utc)),
            local.Date.ToString("yyyy-MM-dd", null), local.ToString("HH:mm", null), r.PartySize, r.Name, r.Phone, r.Email, r.Note, r.Tables,
            until.ToDateTimeOffset(), r.Status == ReservationStatus.Booked && now < until, $"/s/{shop.Slug}/reservations/{r.Id}");
    }

    public static string Word(ReservationStatus status) => status switch
    {
        ReservationStatus.NoShow => "noShow",
        _ => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(status.ToString()),
    };
}
