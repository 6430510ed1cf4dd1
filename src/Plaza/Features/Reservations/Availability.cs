using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Features.Reservations;

/// <summary>A bookable table, or tables pushed together, and how many they seat.</summary>
public sealed record Seating(IReadOnlyList<int> TableIds, string Codes, int Seats);

/// <summary>
/// Which times a party can book on a local date: inside the shop's opening hours for the whole seating
/// (in its own zone, so a daylight-saving day is shorter or longer), after the lead time, within the
/// horizon, not on a closed date, and only where a table or combination is free for every quarter
/// hour of the seating. Times step every 15 minutes of real time from each opening, as pickup slots do.
/// </summary>
public sealed class Availability
{
    public static readonly Duration Step = Duration.FromMinutes(15);

    private readonly Shop shop;
    private readonly OpeningSchedule schedule;

    private Availability(Shop shop, ReservationSettings settings, List<Seating> seatings)
    {
        this.shop = shop;
        Settings = settings;
        Seatings = seatings;
        schedule = new OpeningSchedule(shop);
    }

    public ReservationSettings Settings { get; }

    /// <summary>Every bookable table and combination, smallest first, single tables before combinations of the same size.</summary>
    public IReadOnlyList<Seating> Seatings { get; }

    public DateTimeZone Zone => schedule.Zone;

    /// <summary>The shop's booking rules and bookable tables; null when it takes no reservations.</summary>
    public static async Task<Availability?> LoadAsync(PlazaDb db, Shop shop, CancellationToken ct)
    {
        var settings = await db.ReservationSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        return settings is { Enabled: true } ? await BuildAsync(db, shop, settings, bookableOnly: true, ct) : null;
    }

    /// <summary>
    /// The rules and every table in service, bookable or not, for the staff's day: a walk-in may sit at any table,
    /// and the shop may take walk-ins without taking reservations online.
    /// </summary>
    public static async Task<Availability> LoadFloorAsync(PlazaDb db, Shop shop, CancellationToken ct) =>
        await BuildAsync(db, shop, await db.ReservationSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new ReservationSettings { ShopId = shop.Id }, bookableOnly: false, ct);

    private static async Task<Availability> BuildAsync(PlazaDb db, Shop shop, ReservationSettings settings, bool bookableOnly, CancellationToken ct)
    {
        var tables = await db.Tables.AsNoTracking().Where(t => (t.Bookable || !bookableOnly) && !t.Retired).ToDictionaryAsync(t => t.Id, ct);
        var groups = await db.TableGroups.AsNoTracking().Include(g => g.Members).ToListAsync(ct);
        var seatings = tables.Values.Where(t => t.Seats > 0).Select(t => new Seating([t.Id], t.Code, t.Seats)).ToList();
        foreach (var group in groups.Where(g => g.Members.Count > 1 && g.Members.All(m => tables.ContainsKey(m.TableId))))
        {
            var members = group.Members.Select(m => tables[m.TableId]).OrderBy(t => t.Code, Comparer<string>.Create(TableCodes.Compare)).ToList();
            seatings.Add(new Seating([.. members.Select(t => t.Id).Order()], string.Join("+", members.Select(t => t.Code)), group.Seats));
        }
        seatings = [.. seatings.OrderBy(s => s.Seats).ThenBy(s => s.TableIds.Count).ThenBy(s => s.TableIds[0])];
        return new Availability(shop, settings, seatings);
    }

    public Duration SeatingLength(int party) => Duration.FromMinutes(Settings.SeatingMinutes(party));

    /// <summary>Start times on <paramref name="date"/> that the rules allow, whether or not a table is free.</summary>
    public IEnumerable<Instant> Times(LocalDate date, int party, Instant now)
    {
        var length = SeatingLength(party);
        var earliest = now + Duration.FromMinutes(Settings.LeadMinutes);
        var today = schedule.LocalDateOf(now);
        var horizon = Zone.AtStartOfDay(today.PlusDays(Settings.HorizonDays + 1)).ToInstant();
        // Yesterday's range may run past midnight into the date asked for.
        foreach (var interval in schedule.Intervals(date.PlusDays(-1), date))
        {
            for (var start = interval.Start; start + length <= interval.End && start < horizon; start += Step)
            {
                if (start >= earliest && schedule.LocalDateOf(start) == date)
                {
                    yield return start;
                }
            }
        }
    }

    /// <summary>True when <paramref name="start"/> is one of the times offered for that party at <paramref name="now"/>, tables aside.</summary>
    public bool IsOffered(Instant start, int party, Instant now) =>
        Times(schedule.LocalDateOf(start), party, now).Contains(start);

    /// <summary>Tables and combinations that seat <paramref name="party"/>, in the order they are given out.</summary>
    public IEnumerable<Seating> Fitting(int party) => Seatings.Where(s => s.Seats >= party);

    /// <summary>The quarters of each table held by active reservations between two instants, except <paramref name="except"/>'s.</summary>
    public static async Task<HashSet<(int TableId, long Quarter)>> HeldAsync(PlazaDb db, Instant from, Instant to, Guid? except, CancellationToken ct)
    {
        var first = from.ToUnixTimeSeconds() / TableHold.QuarterSeconds * TableHold.QuarterSeconds;
        var last = to.ToUnixTimeSeconds();
        var held = await db.TableHolds.AsNoTracking()
            .Where(h => h.Quarter >= first && h.Quarter < last && h.ReservationId != except)
            .Select(h => new { h.TableId, h.Quarter }).ToListAsync(ct);
        return [.. held.Select(h => (h.TableId, h.Quarter))];
    }

    /// <summary>The first table or combination free for the whole seating from <paramref name="start"/>, or null.</summary>
    public Seating? FreeFor(int party, Instant start, HashSet<(int TableId, long Quarter)> held)
    {
        var quarters = TableHold.Quarters(start.ToDateTimeOffset(), (start + SeatingLength(party)).ToDateTimeOffset()).ToList();
        return Fitting(party).FirstOrDefault(s => s.TableIds.All(t => quarters.All(q => !held.Contains((t, q)))));
    }

    /// <summary>The times on <paramref name="date"/> at which some table or combination is free for the party's whole seating.</summary>
    public async Task<List<Instant>> FreeTimesAsync(PlazaDb db, LocalDate date, int party, Instant now, Guid? except, CancellationToken ct)
    {
        var times = Times(date, party, now).ToList();
        if (times.Count == 0 || !Fitting(party).Any())
        {
            return [];
        }
        var held = await HeldAsync(db, times[0], times[^1] + SeatingLength(party), except, ct);
        return [.. times.Where(t => FreeFor(party, t, held) is not null)];
    }

    /// <summary>The shop's opening hours that start on <paramref name="date"/>.</summary>
    public IReadOnlyList<Interval> OpeningOn(LocalDate date) => schedule.Intervals(date, date);

    public string LocalTime(Instant instant) => instant.InZone(Zone).ToString("HH:mm", null);

    public LocalDate LocalDate(Instant instant) => schedule.LocalDateOf(instant);

    public Shop Shop => shop;
}
