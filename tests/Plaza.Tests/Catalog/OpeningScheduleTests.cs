using NodaTime;
using Plaza.Features.Catalog;

namespace Plaza.Tests.Catalog;

/// <summary>Slot arithmetic in the shop's zone, around daylight-saving changes and at the edges of the day.</summary>
public sealed class OpeningScheduleTests
{
    private static Shop Berlin(int slotMinutes, int leadMinutes, params (DayOfWeek Day, string Opens, string Closes)[] ranges)
    {
        var shop = DemoShop.Build();
        shop.SlotMinutes = slotMinutes;
        shop.LeadTimeMinutes = leadMinutes;
        shop.OrderAheadDays = 0;
        shop.OpeningHours = [.. ranges.Select(r => new OpeningRange { Day = r.Day, Opens = Minutes(r.Opens), Closes = Minutes(r.Closes) })];
        return shop;
    }

    private static int Minutes(string hhmm) => (int.Parse(hhmm[..2], System.Globalization.CultureInfo.InvariantCulture) * 60)
        + int.Parse(hhmm[3..], System.Globalization.CultureInfo.InvariantCulture);

    private static Instant At(string iso) => Instant.FromDateTimeOffset(DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture));

    private static List<string> LocalTimes(OpeningSchedule schedule, IEnumerable<Instant> slots) =>
        [.. slots.Select(s => s.InZone(schedule.Zone).ToString("HH:mm o<g>", System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void On_the_spring_forward_day_the_skipped_hour_offers_no_slots()
    {
        // Berlin, Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST.
        var schedule = new OpeningSchedule(Berlin(30, 0, (DayOfWeek.Sunday, "00:00", "06:00")));

        var slots = LocalTimes(schedule, schedule.Slots(At("2026-03-29T00:00:00+01:00")));

        Assert.Equal(
            ["00:00 +01", "00:30 +01", "01:00 +01", "01:30 +01", "03:00 +02", "03:30 +02", "04:00 +02", "04:30 +02", "05:00 +02", "05:30 +02"],
            slots);
    }

    [Fact]
    public void On_the_fall_back_day_the_repeated_hour_offers_its_slots_twice()
    {
        // Berlin, Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET.
        var schedule = new OpeningSchedule(Berlin(30, 0, (DayOfWeek.Sunday, "01:00", "04:00")));

        var slots = LocalTimes(schedule, schedule.Slots(At("2026-10-25T00:30:00+02:00")));

        Assert.Equal(["01:00 +02", "01:30 +02", "02:00 +02", "02:30 +02", "02:00 +01", "02:30 +01", "03:00 +01", "03:30 +01"], slots);
    }

    [Fact]
    public void The_first_slot_is_never_in_the_past_nor_inside_the_lead_time()
    {
        var schedule = new OpeningSchedule(Berlin(15, 15, (DayOfWeek.Monday, "08:00", "18:00")));
        var now = At("2026-11-30T10:07:30+01:00");

        var first = schedule.Slots(now).First();

        Assert.Equal(At("2026-11-30T10:30:00+01:00"), first);
        Assert.False(schedule.IsOfferedSlot(At("2026-11-30T10:15:00+01:00"), now)); // inside the lead time
        Assert.False(schedule.IsOfferedSlot(At("2026-11-30T10:00:00+01:00"), now)); // in the past
        Assert.True(schedule.IsOfferedSlot(At("2026-11-30T10:30:00+01:00"), now));
    }

    [Fact]
    public void A_slot_exactly_at_the_lead_time_is_offered()
    {
        var schedule = new OpeningSchedule(Berlin(15, 15, (DayOfWeek.Monday, "08:00", "18:00")));

        Assert.Equal(At("2026-11-30T10:30:00+01:00"), schedule.Slots(At("2026-11-30T10:15:00+01:00")).First());
    }

    [Fact]
    public void Before_opening_the_first_slot_is_the_opening_plus_the_lead_time()
    {
        var schedule = new OpeningSchedule(Berlin(15, 15, (DayOfWeek.Monday, "08:00", "18:00")));

        Assert.Equal(At("2026-11-30T08:15:00+01:00"), schedule.Slots(At("2026-11-30T06:00:00+01:00")).First());
        Assert.False(schedule.CanServeSoon(At("2026-11-30T07:59:00+01:00")));
    }

    [Fact]
    public void The_last_slot_ends_at_closing_time()
    {
        var schedule = new OpeningSchedule(Berlin(15, 15, (DayOfWeek.Monday, "08:00", "18:00")));
        var now = At("2026-11-30T12:00:00+01:00");

        Assert.Equal(At("2026-11-30T17:45:00+01:00"), schedule.Slots(now).Last());
        Assert.False(schedule.IsOfferedSlot(At("2026-11-30T18:00:00+01:00"), now));
    }

    [Fact]
    public void Soon_is_refused_when_closing_comes_before_the_order_could_be_ready()
    {
        var schedule = new OpeningSchedule(Berlin(15, 15, (DayOfWeek.Monday, "08:00", "18:00")));

        Assert.True(schedule.CanServeSoon(At("2026-11-30T17:45:00+01:00")));
        Assert.False(schedule.CanServeSoon(At("2026-11-30T17:50:00+01:00")));
        Assert.True(schedule.IsOpenAt(At("2026-11-30T17:50:00+01:00")));
        Assert.False(schedule.IsOpenAt(At("2026-11-30T18:00:00+01:00")));
    }

    [Fact]
    public void A_range_past_midnight_keeps_the_shop_open_into_the_next_day()
    {
        var schedule = new OpeningSchedule(Berlin(30, 0, (DayOfWeek.Friday, "18:00", "26:00")));

        Assert.True(schedule.IsOpenAt(At("2026-12-05T01:30:00+01:00"))); // Saturday 01:30
        Assert.False(schedule.IsOpenAt(At("2026-12-05T02:00:00+01:00")));
    }

    [Fact]
    public void Days_that_touch_at_midnight_count_as_one_opening()
    {
        var schedule = new OpeningSchedule(DemoShop.Build()); // open around the clock

        Assert.True(schedule.CanServeSoon(At("2026-11-30T23:55:00+01:00")));
        Assert.Contains(At("2026-12-01T00:15:00+01:00"), schedule.Slots(At("2026-11-30T23:55:00+01:00")));
    }

    [Fact]
    public void Slots_are_computed_in_the_shops_zone_not_the_servers()
    {
        var shop = Berlin(60, 0, (DayOfWeek.Monday, "09:00", "11:00"));
        shop.TimeZone = "Asia/Shanghai";
        var schedule = new OpeningSchedule(shop);

        Assert.Equal([At("2026-11-30T09:00:00+08:00"), At("2026-11-30T10:00:00+08:00")], schedule.Slots(At("2026-11-30T06:00:00+08:00")));
    }
}
