using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Features.Reservations;

/// <summary>A dine-in order placed at a party's table while it sat there.</summary>
public sealed record PartyOrder(Guid Id, string Number, string TableCode, DateTime PlacedAt, OrderStatus Status, long Total, string Currency);

/// <summary>
/// One local day of a shop's floor as the staff's timeline shows it: every table in service, the parties on it
/// (booked and walk-in), the waitlist, each guest's earlier no-shows and each seated party's orders.
/// </summary>
public sealed class ReservationDay
{
    private ReservationDay(Availability floor, LocalDate date, Instant now)
    {
        Floor = floor;
        Date = date;
        Now = now;
    }

    public Availability Floor { get; }
    public LocalDate Date { get; }
    public Instant Now { get; }
    public List<ShopTable> Tables { get; private set; } = [];
    /// <summary>Every party of the day in order of time, cancelled ones included (the list shows them struck out).</summary>
    public List<Reservation> Parties { get; private set; } = [];
    public List<WaitlistEntry> Waitlist { get; private set; } = [];
    /// <summary>Per party, how often the same guest (phone, e-mail or member) did not come in the last year.</summary>
    public Dictionary<Guid, int> NoShows { get; private set; } = [];
    public ILookup<Guid, PartyOrder> Orders { get; private set; } = Array.Empty<PartyOrder>().ToLookup(o => Guid.Empty);
    /// <summary>The hours the grid spans: the opening hours and every party of the day, whole hours.</summary>
    public Instant From { get; private set; }
    public Instant To { get; private set; }

    public static async Task<ReservationDay> LoadAsync(PlazaDb db, Shop shop, LocalDate date, Instant now, CancellationToken ct)
    {
        var floor = await Availability.LoadFloorAsync(db, shop, ct);
        var day = new ReservationDay(floor, date, now);
        var dayStart = floor.Zone.AtStartOfDay(date).ToInstant().ToDateTimeUtc();
        var dayEnd = floor.Zone.AtStartOfDay(date.PlusDays(1)).ToInstant().ToDateTimeUtc();
        day.Tables = [.. (await db.Tables.AsNoTracking().Where(t => !t.Retired).ToListAsync(ct)).OrderBy(t => t.Code, Comparer<string>.Create(TableCodes.Compare))];
        day.Parties = await db.Reservations.AsNoTracking().Where(r => r.Start < dayEnd && r.End > dayStart).OrderBy(r => r.Start).ThenBy(r => r.CreatedAt).Take(500).ToListAsync(ct);
        var wanted = date.ToDateOnly();
        day.Waitlist = await db.Waitlist.AsNoTracking()
            .Where(e => e.Day == wanted && (e.Status == WaitlistStatus.Waiting || e.Status == WaitlistStatus.Offered)).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        day.NoShows = await NoShowsAsync(db, day.Parties, now, ct);
        day.Orders = await OrdersAsync(db, day.Parties, now, ct);

        var spans = floor.OpeningOn(date).Select(i => (i.Start, i.End))
            .Concat(day.Parties.Where(p => p.Status != ReservationStatus.Cancelled).Select(p => (Instant.FromDateTimeUtc(Utc(p.Start)), Instant.FromDateTimeUtc(Utc(p.End)))))
            .ToList();
        var from = spans.Count > 0 ? spans.Min(s => s.Item1) : floor.Zone.AtLeniently(date.At(new LocalTime(11, 0))).ToInstant();
        var to = spans.Count > 0 ? spans.Max(s => s.Item2) : floor.Zone.AtLeniently(date.At(new LocalTime(22, 0))).ToInstant();
        // Within the local day (a shop open around the clock has one opening range spanning many days).
        var (first, last) = (Instant.FromDateTimeUtc(dayStart), Instant.FromDateTimeUtc(dayEnd));
        from = Instant.Max(first, Instant.Min(from, last - Duration.FromHours(1)));
        to = Instant.Min(last, Instant.Max(to, from + Duration.FromHours(1)));
        day.From = Instant.FromUnixTimeSeconds(from.ToUnixTimeSeconds() / 3600 * 3600);
        day.To = Instant.FromUnixTimeSeconds((to.ToUnixTimeSeconds() + 3599) / 3600 * 3600);
        return day;
    }

    /// <summary>
    /// How often each party's guest did not come before: earlier no-shows in the shop in the last year with the same
    /// phone digits, the same e-mail (any case) or the same member. Walk-ins are nobody in particular.
    /// </summary>
    public static async Task<Dictionary<Guid, int>> NoShowsAsync(PlazaDb db, IReadOnlyCollection<Reservation> parties, Instant now, CancellationToken ct)
    {
        if (!parties.Any(p => !p.WalkIn))
        {
            return [];
        }
        var since = (now - Duration.FromDays(365)).ToDateTimeUtc();
        var missed = await db.Reservations.AsNoTracking().Where(r => r.Status == ReservationStatus.NoShow && r.Start >= since)
            .Select(r => new { r.Id, r.Phone, r.Email, r.MemberId }).Take(5000).ToListAsync(ct);
        var counts = new Dictionary<Guid, int>();
        foreach (var party in parties.Where(p => !p.WalkIn))
        {
            var phone = Digits(party.Phone);
            var count = missed.Count(m => m.Id != party.Id && ((phone.Length > 0 && Digits(m.Phone) == phone)
                || (party.Email.Length > 0 && string.Equals(m.Email, party.Email, StringComparison.OrdinalIgnoreCase))
                || (party.MemberId is not null && m.MemberId == party.MemberId)));
            if (count > 0)
            {
                counts[party.Id] = count;
            }
        }
        return counts;
    }

    /// <summary>
    /// The dine-in orders placed at each seated party's table (any of its tables, when pushed together) from check-in
    /// until it finished, or until now while it sits.
    /// </summary>
    public static async Task<ILookup<Guid, PartyOrder>> OrdersAsync(PlazaDb db, IReadOnlyCollection<Reservation> parties, Instant now, CancellationToken ct)
    {
        var seated = parties.Where(p => p.SeatedAt is not null && p.Status is ReservationStatus.Seated or ReservationStatus.Finished).ToList();
        if (seated.Count == 0)
        {
            return Array.Empty<PartyOrder>().ToLookup(o => Guid.Empty);
        }
        var nowUtc = now.ToDateTimeUtc();
        var from = seated.Min(p => p.SeatedAt!.Value);
        var to = seated.Max(p => p.FinishedAt ?? nowUtc);
        var codes = seated.SelectMany(p => p.Tables.Split('+')).Distinct().ToList();
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.TableCode != null && codes.Contains(o.TableCode) && o.PlacedAt >= from && o.PlacedAt <= to)
            .OrderBy(o => o.PlacedAt)
            .Select(o => new PartyOrder(o.Id, o.Number, o.TableCode!, o.PlacedAt, o.Status, o.Total, o.Currency)).Take(500).ToListAsync(ct);
        return seated
            .SelectMany(p => orders.Where(o => p.Tables.Split('+').Contains(o.TableCode) && o.PlacedAt >= p.SeatedAt && o.PlacedAt <= (p.FinishedAt ?? nowUtc)).Select(o => (p.Id, o)))
            .ToLookup(x => x.Id, x => x.o);
    }

    /// <summary>The parties at <paramref name="table"/> this day, cancelled ones left out.</summary>
    public IEnumerable<Reservation> At(ShopTable table) =>
        Parties.Where(p => p.Status != ReservationStatus.Cancelled && p.Tables.Split('+').Contains(table.Code));

    /// <summary>Where on the grid an instant falls, in percent of its width.</summary>
    public double Percent(DateTime utc) =>
        Math.Clamp((Instant.FromDateTimeUtc(Utc(utc)) - From).TotalSeconds / (To - From).TotalSeconds * 100, 0, 100);

    /// <summary>The whole hours along the grid (every second one on a long day, so labels do not crowd), with where each falls.</summary>
    public IEnumerable<(string Label, double Left)> Hours()
    {
        var step = Duration.FromHours(To - From > Duration.FromHours(12) ? 2 : 1);
        for (var hour = From; hour < To; hour += step)
        {
            yield return (Floor.LocalTime(hour), Percent(hour.ToDateTimeUtc()));
        }
    }

    public string Local(DateTime utc) => Floor.LocalTime(Instant.FromDateTimeUtc(Utc(utc)));

    /// <summary>Tables and combinations a walk-in of any size may take, for the walk-in form.</summary>
    public IReadOnlyList<Seating> Seatings => Floor.Seatings;

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static string Digits(string phone) => new([.. phone.Where(char.IsAsciiDigit)]);
}
