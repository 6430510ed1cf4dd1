using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Reservations;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Reservations;

/// <summary>Reservations through the API on real stores: availability in the shop's zone, exactly one winner, changes, cancels, isolation.</summary>
public sealed class ReservationTests
{
    internal static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>A Berlin shop taking reservations, with the given bookable tables ("code:seats") and combinations ("4+5:8").</summary>
    internal static async Task<TestShop> ReservableAsync(PlazaApp app, string[] tables, string[]? groups = null, Action<Shop>? hours = null,
        Action<ReservationSettings>? settings = null)
    {
        var shop = await TestShops.CreateAsync(app, s =>
        {
            s.TimeZone = "Europe/Berlin";
            s.OpeningHours = [.. Enum.GetValues<DayOfWeek>().Select(d => new OpeningRange { Day = d, Opens = 11 * 60, Closes = 23 * 60 })];
            hours?.Invoke(s);
        });
        await app.WithDb(null, async db =>
        {
            var added = tables.Select(t => t.Split(':')).Select(p => new ShopTable { ShopId = shop.Shop.Id, Code = p[0], Name = "T" + p[0], Seats = int.Parse(p[1], CultureInfo.InvariantCulture), Bookable = true }).ToList();
            db.Tables.AddRange(added);
            var rules = new ReservationSettings { ShopId = shop.Shop.Id, Enabled = true, LeadMinutes = 60, HorizonDays = 30, CutoffMinutes = 120, Seatings = "2:90 8:120" };
            settings?.Invoke(rules);
            db.ReservationSettings.Add(rules);
            await db.SaveChangesAsync();
            foreach (var group in groups ?? [])
            {
                var (codes, seats) = (group.Split(':')[0].Split('+'), int.Parse(group.Split(':')[1], CultureInfo.InvariantCulture));
                db.TableGroups.Add(new TableGroup { ShopId = shop.Shop.Id, Seats = seats, Members = [.. codes.Select(c => new TableGroupMember { ShopId = shop.Shop.Id, TableId = added.Single(t => t.Code == c).Id })] });
            }
            await db.SaveChangesAsync();
            return 0;
        });
        return shop;
    }

    private static async Task<List<string>> FreeTimesAsync(HttpClient client, TestShop shop, string date, int party)
    {
        using var response = await client.GetAsync($"/api/v1/shops/{shop.Slug}/reservations/availability?date={date}&party={party}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("times").EnumerateArray().Select(t => t.GetProperty("localTime").GetString()!)];
    }

    private static object Booking(string start, int party = 2, string name = "Mei", string email = "mei@example.com") =>
        new { start, partySize = party, name, phone = "+49 30 1234567", email, note = "Window, please" };

    private static async Task<HttpResponseMessage> BookAsync(HttpClient client, TestShop shop, object booking, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/shops/{shop.Slug}/reservations") { Content = JsonContent.Create(booking) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return await client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient client, TestShop shop, string id, object change) =>
        client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/reservations/{id}/change", change);

    private static Task<(int Reservations, int Holds, int Mails)> CountsAsync(PlazaApp app, TestShop shop) => app.WithDb(shop.Shop, async db =>
        (await db.Reservations.CountAsync(r => r.Status == ReservationStatus.Booked), await db.TableHolds.CountAsync(), await db.OutboxMails.CountAsync()));

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Times_follow_the_shops_clock_across_the_spring_forward_and_a_seating_spans_the_skipped_hour_in_real_time(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(At("2026-03-27T09:00:00+01:00")));
        var shop = await ReservableAsync(app, ["1:4"], hours: s => s.OpeningHours = [.. Enum.GetValues<DayOfWeek>().Select(d => new OpeningRange { Day = d, Opens = 0, Closes = 6 * 60 })]);
        var client = app.CreateClient();

        // Saturday, still CET: six hours open, seatings of 90 minutes start 00:00 … 04:30.
        var saturday = await FreeTimesAsync(client, shop, "2026-03-28", 2);
        Assert.Equal(19, saturday.Count);
        Assert.Equal(("00:00", "04:30"), (saturday[0], saturday[^1]));
        // Sunday: clocks jump 02:00 → 03:00, so the night is five real hours; no time falls in the skipped hour.
        var sunday = await FreeTimesAsync(client, shop, "2026-03-29", 2);
        Assert.DoesNotContain(sunday, t => t.StartsWith("02:", StringComparison.Ordinal));
        Assert.Equal(["00:00", "00:15", "00:30", "00:45", "01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30", "03:45", "04:00", "04:15", "04:30"], sunday);

        var booked = await Asserts.CreatedAsync(await BookAsync(client, shop, Booking("2026-03-29T01:00:00+01:00")));
        // 90 real minutes from 01:00 CET end at 03:30 CEST (00:00Z → 01:30Z).
        Assert.Equal(At("2026-03-29T01:30:00Z"), booked.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(["03:30", "03:45", "04:00", "04:15", "04:30"], await FreeTimesAsync(client, shop, "2026-03-29", 2));
        var taken = await BookAsync(client, shop, Booking("2026-03-29T03:15:00+02:00", name: "Late"));
        await Asserts.ProblemAsync(taken, HttpStatusCode.Conflict, "table-unavailable");
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task On_the_fall_back_day_the_repeated_hour_is_offered_twice_and_daytime_hours_stay_local(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(At("2026-10-23T09:00:00+02:00")));
        var shop = await ReservableAsync(app, ["1:4"], hours: s => s.OpeningHours = [.. Enum.GetValues<DayOfWeek>().SelectMany(d => new[]
        {
            new OpeningRange { Day = d, Opens = 0, Closes = 5 * 60 },
            new OpeningRange { Day = d, Opens = 12 * 60, Closes = 15 * 60 },
        })]);
        var client = app.CreateClient();

        var sunday = await FreeTimesAsync(client, shop, "2026-10-25", 2);
        Assert.Equal(2, sunday.Count(t => t == "02:30"));
        // Noon is noon on either side of the change: 10:00Z in summer time, 11:00Z in winter time.
        var saturday = await (await client.GetAsync($"/api/v1/shops/{shop.Slug}/reservations/availability?date=2026-10-24&party=2")).JsonAsync();
        var noonSaturday = saturday.GetProperty("times").EnumerateArray().First(t => t.GetProperty("localTime").GetString() == "12:00");
        Assert.Equal(At("2026-10-24T10:00:00Z"), noonSaturday.GetProperty("start").GetDateTimeOffset());
        var sundayTimes = await (await client.GetAsync($"/api/v1/shops/{shop.Slug}/reservations/availability?date=2026-10-25&party=2")).JsonAsync();
        var noonSunday = sundayTimes.GetProperty("times").EnumerateArray().First(t => t.GetProperty("localTime").GetString() == "12:00");
        Assert.Equal(At("2026-10-25T11:00:00Z"), noonSunday.GetProperty("start").GetDateTimeOffset());
    }

    [Fact]
    public async Task Lead_time_horizon_closed_dates_and_seats_bound_what_is_offered()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, new TestClock(At("2026-06-10T12:05:00+02:00")));
        var shop = await ReservableAsync(app, ["1:4"], settings: r => r.HorizonDays = 2);
        await app.WithDb(null, async db =>
        {
            db.Add(new ClosedDate { ShopId = shop.Shop.Id, Date = new DateOnly(2026, 6, 11), Note = "Holiday" });
            return await db.SaveChangesAsync();
        });
        var client = app.CreateClient();

        // Lead time 60 minutes: 13:05 at the earliest, so 13:15; the last 120-minute seating starts at 21:00.
        var today = await FreeTimesAsync(client, shop, "2026-06-10", 3);
        Assert.Equal(("13:15", "21:00"), (today[0], today[^1]));
        Assert.Empty(await FreeTimesAsync(client, shop, "2026-06-11", 2));
        Assert.NotEmpty(await FreeTimesAsync(client, shop, "2026-06-12", 2));
        Assert.Empty(await FreeTimesAsync(client, shop, "2026-06-13", 2));
        Assert.Empty(await FreeTimesAsync(client, shop, "2026-06-12", 5));
        await Asserts.ProblemAsync(await BookAsync(client, shop, Booking("2026-06-10T13:00:00+02:00")), HttpStatusCode.Conflict, "table-unavailable");
        await Asserts.ProblemAsync(await BookAsync(client, shop, Booking("2026-06-10T14:10:00+02:00")), HttpStatusCode.Conflict, "table-unavailable");
        Assert.Equal((0, 0, 0), await CountsAsync(app, shop));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Thirty_concurrent_bookings_for_the_last_table_give_it_to_exactly_one(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await ReservableAsync(app, ["1:4"]);
        var start = NextNoonInBerlin(app);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 30).Select(i => Task.Run(async () =>
        {
            await go.Task;
            // Overlapping but not all equal: 12:00 to 12:45, each overlapping every other's seating.
            return await BookAsync(app.CreateClient(), shop, Booking(start.AddMinutes(15 * (i % 4)).ToString("o", CultureInfo.InvariantCulture), name: $"Guest {i}"));
        })).ToList();
        go.SetResult();
        var responses = await Task.WhenAll(attempts);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await Asserts.ProblemAsync(refused, HttpStatusCode.Conflict, "table-unavailable");
        }
        var (reservations, holds, _) = await CountsAsync(app, shop);
        Assert.Equal(1, reservations);
        Assert.Equal(6, holds); // 90 minutes: six quarters of one table
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Concurrent_retries_with_one_idempotency_key_make_one_reservation_and_another_body_is_refused(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await ReservableAsync(app, ["1:4", "2:4"]);
        var booking = Booking(NextNoonInBerlin(app).ToString("o", CultureInfo.InvariantCulture));
        var key = Guid.NewGuid().ToString();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            return await BookAsync(app.CreateClient(), shop, booking, key);
        })).ToList();
        go.SetResult();
        var responses = await Task.WhenAll(attempts);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(9, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal((1, 6, 1), await CountsAsync(app, shop));
        var other = await BookAsync(app.CreateClient(), shop, Booking(NextNoonInBerlin(app).ToString("o", CultureInfo.InvariantCulture), name: "Someone else"), key);
        await Asserts.ProblemAsync(other, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal((1, 6, 1), await CountsAsync(app, shop));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_change_that_would_collide_is_refused_and_changes_nothing_while_a_free_one_moves_the_table(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(At("2026-06-10T08:00:00+02:00")));
        var shop = await ReservableAsync(app, ["1:4"]);
        var client = app.CreateClient();
        await Asserts.CreatedAsync(await BookAsync(client, shop, Booking("2026-06-10T12:00:00+02:00")));
        var second = (await Asserts.CreatedAsync(await BookAsync(client, shop, Booking("2026-06-10T15:00:00+02:00", name: "Li")))).GetProperty("id").GetString()!;
        var before = await app.WithDb(shop.Shop, db => db.TableHolds.OrderBy(h => h.Quarter).Select(h => h.ReservationId + "@" + h.Quarter).ToListAsync());

        var collide = await ChangeAsync(client, shop, second, new { start = "2026-06-10T13:00:00+02:00" });
        await Asserts.ProblemAsync(collide, HttpStatusCode.Conflict, "table-unavailable");
        var bigger = await ChangeAsync(client, shop, second, new { partySize = 6 });
        await Asserts.ProblemAsync(bigger, HttpStatusCode.Conflict, "table-unavailable");
        Assert.Equal(before, await app.WithDb(shop.Shop, db => db.TableHolds.OrderBy(h => h.Quarter).Select(h => h.ReservationId + "@" + h.Quarter).ToListAsync()));
        var unchanged = await (await client.GetAsync($"/api/v1/shops/{shop.Slug}/reservations/{second}")).JsonAsync();
        Assert.Equal(("15:00", 2), (unchanged.GetProperty("localTime").GetString(), unchanged.GetProperty("partySize").GetInt32()));

        using var moved = await ChangeAsync(client, shop, second, new { start = "2026-06-10T17:00:00+02:00" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Contains("15:00", await FreeTimesAsync(client, shop, "2026-06-10", 2));
        Assert.DoesNotContain("17:00", await FreeTimesAsync(client, shop, "2026-06-10", 2));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_combination_of_two_tables_is_offered_only_when_both_are_free(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(At("2026-06-10T08:00:00+02:00")));
        var shop = await ReservableAsync(app, ["4:4", "5:4"], groups: ["4+5:8"]);
        var client = app.CreateClient();
        Assert.Contains("12:00", await FreeTimesAsync(client, shop, "2026-06-10", 6));

        // A couple at 12:30 takes table 4 (the smallest that fits, first); 5 stays free, the pair does not.
        var couple = await Asserts.CreatedAsync(await BookAsync(client, shop, Booking("2026-06-10T12:30:00+02:00")));
        Assert.Equal("4", couple.GetProperty("tables").GetString());
        var forSix = await FreeTimesAsync(client, shop, "2026-06-10", 6);
        Assert.DoesNotContain("12:00", forSix);
        Assert.DoesNotContain("13:45", forSix);
        Assert.Contains("14:00", forSix);
        Assert.Contains("12:00", await FreeTimesAsync(client, shop, "2026-06-10", 2));
        await Asserts.ProblemAsync(await BookAsync(client, shop, Booking("2026-06-10T12:00:00+02:00", party: 6, name: "Six")), HttpStatusCode.Conflict, "table-unavailable");

        var six = await Asserts.CreatedAsync(await BookAsync(client, shop, Booking("2026-06-10T14:00:00+02:00", party: 6, name: "Six")));
        Assert.Equal("4+5", six.GetProperty("tables").GetString());
        Assert.Equal(6 + 8 + 8, await app.WithDb(shop.Shop, db => db.TableHolds.CountAsync())); // the couple's 6 quarters of table 4, then 8 of each table
    }

    [Fact]
    public async Task Cancelling_before_the_cutoff_frees_the_table_and_after_it_is_refused()
    {
        var clock = new TestClock(At("2026-06-10T08:00:00+02:00"));
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, clock);
        var shop = await ReservableAsync(app, ["1:4"]);
        var client = app.CreateClient();
        var first = (await Asserts.CreatedAsync(await BookAsync(client, shop, Booking("2026-06-10T12:00:00+02:00")))).GetProperty("id").GetString()!;
        var second = (await Asserts.CreatedAsync(await BookAsync(client, shop, Booking("2026-06-10T15:00:00+02:00", name: "Li")))).GetProperty("id").GetString()!;

        using var cancelled = await client.PostAsync($"/api/v1/shops/{shop.Slug}/reservations/{first}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.JsonAsync()).GetProperty("status").GetString());
        Assert.Contains("12:00", await FreeTimesAsync(client, shop, "2026-06-10", 2));

        clock.Set(At("2026-06-10T13:01:00+02:00")); // 119 minutes before 15:00: past the 120-minute cut-off
        await Asserts.ProblemAsync(await client.PostAsync($"/api/v1/shops/{shop.Slug}/reservations/{second}/cancel", null), HttpStatusCode.Conflict, "reservation-closed");
        await Asserts.ProblemAsync(await ChangeAsync(client, shop, second, new { start = "2026-06-10T18:00:00+02:00" }), HttpStatusCode.Conflict, "reservation-closed");
        Assert.Equal((1, 6, 3), await CountsAsync(app, shop));
    }

    [Fact]
    public async Task Bad_input_is_a_problem_with_field_errors_and_changes_nothing()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, new TestClock(At("2026-06-10T08:00:00+02:00")));
        var shop = await ReservableAsync(app, ["1:4"]);
        var client = app.CreateClient();

        var invalid = await BookAsync(client, shop, new { start = (string?)null, partySize = 0, name = "", phone = "12", email = "not-mail", note = "bell\u0007" });
        var problem = await Asserts.ProblemAsync(invalid, HttpStatusCode.BadRequest, "invalid-request");
        foreach (var field in new[] { "start", "partySize", "name", "phone", "email", "note" })
        {
            Asserts.HasFieldError(problem, field);
        }
        await Asserts.ProblemAsync(await BookAsync(client, shop, Booking("2026-06-10T12:00:00+02:00", party: 9)), HttpStatusCode.BadRequest, "invalid-request");
        await Asserts.ProblemAsync(await BookAsync(client, shop, Booking("2026-06-10T12:07:00+02:00")), HttpStatusCode.Conflict, "table-unavailable");
        using var garbage = new StringContent("{\"start\": 5", System.Text.Encoding.UTF8, "application/json");
        await Asserts.ProblemAsync(await client.PostAsync($"/api/v1/shops/{shop.Slug}/reservations", garbage), HttpStatusCode.BadRequest, "invalid-request");
        await Asserts.ProblemAsync(await client.GetAsync($"/api/v1/shops/{shop.Slug}/reservations/availability?date=10.06.2026&party=2"), HttpStatusCode.BadRequest, "invalid-request");
        await Asserts.ProblemAsync(await client.GetAsync($"/api/v1/shops/{shop.Slug}/reservations/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal((0, 0, 0), await CountsAsync(app, shop));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_booking_leaves_the_menu_cache_version_unchanged(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(At("2026-06-10T08:00:00+02:00")));
        var shop = await ReservableAsync(app, ["1:4"]);
        var client = app.CreateClient();
        Task<long> VersionAsync() => app.WithDb(null, db => db.Shops.Where(s => s.Id == shop.Shop.Id).Select(s => s.CatalogVersion).SingleAsync());
        var before = await VersionAsync();

        var id = (await Asserts.CreatedAsync(await BookAsync(client, shop, Booking("2026-06-10T12:00:00+02:00")))).GetProperty("id").GetString()!;
        (await ChangeAsync(client, shop, id, new { start = "2026-06-10T14:00:00+02:00" })).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/v1/shops/{shop.Slug}/reservations/{id}/cancel", null)).EnsureSuccessStatusCode();

        Assert.Equal(before, await VersionAsync());
        // The trigger is there: a change to a table does move it.
        await app.WithDb(null, db => db.Tables.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(t => t.ShopId == shop.Shop.Id && t.Code == "1").ExecuteUpdateAsync(u => u.SetProperty(t => t.Seats, 6)));
        Assert.NotEqual(before, await VersionAsync());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Another_shops_reservation_cannot_be_read_changed_or_cancelled_through_its_own_address(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store, new TestClock(At("2026-06-10T08:00:00+02:00")));
        var shopA = await ReservableAsync(app, ["1:4"]);
        var shopB = await ReservableAsync(app, ["1:4"]);
        var client = app.CreateClient();
        var idA = (await Asserts.CreatedAsync(await BookAsync(client, shopA, Booking("2026-06-10T12:00:00+02:00")))).GetProperty("id").GetString()!;

        await Asserts.ProblemAsync(await client.GetAsync($"/api/v1/shops/{shopB.Slug}/reservations/{idA}"), HttpStatusCode.NotFound, "not-found");
        await Asserts.ProblemAsync(await ChangeAsync(client, shopB, idA, new { start = "2026-06-10T15:00:00+02:00" }), HttpStatusCode.NotFound, "not-found");
        await Asserts.ProblemAsync(await client.PostAsync($"/api/v1/shops/{shopB.Slug}/reservations/{idA}/cancel", null), HttpStatusCode.NotFound, "not-found");
        // A's table being taken says nothing about B's, and B's page never shows A's guest.
        Assert.Contains("12:00", await FreeTimesAsync(client, shopB, "2026-06-10", 2));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/s/{shopB.Slug}/reservations/{idA}")).StatusCode);
        var a = await (await client.GetAsync($"/api/v1/shops/{shopA.Slug}/reservations/{idA}")).JsonAsync();
        Assert.Equal(("booked", "12:00"), (a.GetProperty("status").GetString(), a.GetProperty("localTime").GetString()));
    }

    /// <summary>Noon in Berlin two days from the node's clock: inside the lead time and the horizon, with the shop open.</summary>
    private static DateTimeOffset NextNoonInBerlin(PlazaApp app)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var local = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), zone).Date.AddDays(2).AddHours(12);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
