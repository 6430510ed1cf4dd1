using NodaTime;

namespace Plaza.Features.Catalog;

/// <summary>
/// A shop's opening hours turned into instants in its own time zone. Ranges are local wall-clock
/// times, so a day on which clocks change is shorter or longer; slots are stepped in real time
/// from each opening, so a skipped hour offers no slots and a repeated hour offers them twice.
/// </summary>
public sealed class OpeningSchedule
{
    private readonly Shop shop;
    private readonly DateTimeZone zone;

    public OpeningSchedule(Shop shop)
    {
        this.shop = shop;
        zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(shop.TimeZone)
            ?? throw new InvalidOperationException($"Shop {shop.Slug} has an unknown time zone '{shop.TimeZone}'.");
    }

    public DateTimeZone Zone => zone;

    /// <summary>A stored UTC time as the shop's clock on the wall shows it (board cards, tickets, alerts, the order page).</summary>
    public static string Local(Shop shop, DateTime utc, string pattern = "HH:mm") =>
        Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(new OpeningSchedule(shop).Zone).ToString(pattern, null);

    public Duration SlotLength => Duration.FromMinutes(shop.SlotMinutes);

    public Duration LeadTime => Duration.FromMinutes(shop.LeadTimeMinutes);

    public LocalDate LocalDateOf(Instant instant) => instant.InZone(zone).Date;

    /// <summary>A closed date (holiday) takes away every range that opens on it, including one running past midnight.</summary>
    public bool IsClosedOn(LocalDate date) => shop.ClosedDates.Count > 0 && shop.ClosedDates.Any(d => d.Date == date.ToDateOnly());

    /// <summary>Opening intervals of ranges that open on local dates first..last, merged where they touch.</summary>
    public IReadOnlyList<Interval> Intervals(LocalDate first, LocalDate last)
    {
        var raw = new List<Interval>();
        for (var date = first; date <= last; date = date.PlusDays(1))
        {
            if (IsClosedOn(date))
            {
                continue;
            }
            foreach (var range in shop.OpeningHours.Where(r => r.Day == NodaTime.Utility.BclConversions.ToDayOfWeek(date.DayOfWeek)))
            {
                // Lenient: an opening inside a skipped hour starts when the clock resumes;
                // inside a repeated hour, at its first occurrence.
                var opens = zone.AtLeniently(date.AtMidnight().PlusMinutes(range.Opens)).ToInstant();
                var closes = zone.AtLeniently(date.AtMidnight().PlusMinutes(range.Closes)).ToInstant();
                if (closes > opens)
                {
                    raw.Add(new Interval(opens, closes));
                }
            }
        }
        raw.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<Interval>();
        foreach (var interval in raw)
        {
            if (merged.Count > 0 && interval.Start <= merged[^1].End)
            {
                var last1 = merged[^1];
                merged[^1] = new Interval(last1.Start, Instant.Max(last1.End, interval.End));
            }
            else
            {
                merged.Add(interval);
            }
        }
        return merged;
    }

    private IReadOnlyList<Interval> IntervalsAround(Instant instant)
    {
        var date = LocalDateOf(instant);
        // A range opening yesterday may run past midnight into today.
        return Intervals(date.PlusDays(-1), date.PlusDays(1));
    }

    public bool IsOpenAt(Instant instant) => IntervalsAround(instant).Any(i => i.Contains(instant));

    /// <summary>True when the shop is open now and stays open long enough to prepare an order.</summary>
    public bool CanServeSoon(Instant now) =>
        IntervalsAround(now).Any(i => i.Contains(now) && now + LeadTime <= i.End);

    /// <summary>When the shop opens next at or after <paramref name="from"/>, within a week.</summary>
    public Instant? NextOpening(Instant from)
    {
        var date = LocalDateOf(from);
        return Intervals(date.PlusDays(-1), date.PlusDays(7))
            .Where(i => i.End > from)
            .Select(i => i.Start < from ? from : i.Start)
            .Cast<Instant?>()
            .FirstOrDefault();
    }

    /// <summary>
    /// Slot starts a customer may choose: inside opening hours with a whole slot before closing,
    /// never before now (or the opening) plus the lead time, up to the shop's order-ahead horizon.
    /// </summary>
    public IEnumerable<Instant> Slots(Instant now)
    {
        var earliest = now + LeadTime;
        var today = LocalDateOf(now);
        var horizon = zone.AtStartOfDay(today.PlusDays(shop.OrderAheadDays + 1)).ToInstant();
        foreach (var interval in Intervals(today.PlusDays(-1), today.PlusDays(shop.OrderAheadDays)))
        {
            for (var start = interval.Start; start + SlotLength <= interval.End && start < horizon; start += SlotLength)
            {
                // The kitchen starts at opening, so the first slot of a day is the opening plus the lead time.
                if (start >= earliest && start >= interval.Start + LeadTime)
                {
                    yield return start;
                }
            }
        }
    }

    /// <summary>True when <paramref name="slot"/> is exactly one of the slots offered at <paramref name="now"/>.</summary>
    public bool IsOfferedSlot(Instant slot, Instant now) =>
        slot >= now + LeadTime && Slots(now).TakeWhile(s => s <= slot).Contains(slot);
}
