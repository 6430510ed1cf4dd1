using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Features.Reservations;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;
using static Plaza.Tests.Reservations.ReservationTests;

namespace Plaza.Tests.Reservations;

/// <summary>
/// The staff's day on the timeline page: seating, finishing, no-shows and cancels by tap, walk-ins, the waitlist and
/// its offer by e-mail, each guest's earlier no-shows and a seated party's orders, on real stores and a real SMTP server.
/// </summary>
public sealed class FloorTests
{
    private static async Task<string> BookAsync(HttpClient client, TestShop shop, string start, int party = 2, string name = "Mei",
        string phone = "+49 30 1234567", string email = "mei@example.com")
    {
        var booked = await Asserts.CreatedAsync(await client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/reservations",
            new { start, partySize = party, name, phone, email }));
        return booked.GetProperty("id").GetString()!;
    }

    private static string Timeline(TestShop shop, string date) => $"/console/{shop.Slug}/reservations?date={date}";

    /// <summary>Taps one of the timeline's buttons the way its script does (a fetch that wants 204 or a problem).</summary>
    private static async Task<HttpResponseMessage> TapAsync(ConsoleSession staff, TestShop shop, string date, string query)
    {
        var token = await staff.TokenAsync(Timeline(shop, date));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/console/{shop.Slug}/reservations?{query}&date={date}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("X-Requested-With", "fetch");
        return await staff.Client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> MoveAsync(ConsoleSession staff, TestShop shop, string date, string id, string to) =>
        TapAsync(staff, shop, date, $"handler=Move&id={id}&to={to}");

    private static Task<HttpResponseMessage> WalkInAsync(ConsoleSession staff, TestShop shop, string date, string tables, int party) =>
        TapAsync(staff, shop, date, $"handler=WalkIn&tables={Uri.EscapeDataString(tables)}&party={party}");

    private static async Task<AngleSharp.Dom.IElement> PartyAsync(ConsoleSession staff, TestShop shop, string date, string id)
    {
        using var page = new HtmlParser().ParseDocument(await staff.Client.GetStringAsync(Timeline(shop, date)));
        return page.QuerySelector($"#r-{id}") ?? throw new InvalidOperationException($"No party {id} on the timeline of {date}.");
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Staff_seat_a_party_its_table_orders_show_on_it_and_finishing_early_frees_the_table_for_a_walk_in(Store store)
    {
        var clock = new TestClock(At("2026-06-01T10:00:00+02:00"));
        await using var app = await PlazaApp.StartAsync(store, clock);
        var shop = await ReservableAsync(app, ["1:4"]);
        var client = app.CreateClient();
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var id = await BookAsync(client, shop, "2026-06-01T19:00:00+02:00");

        clock.Set(At("2026-06-01T19:05:00+02:00"));
        Assert.Equal(HttpStatusCode.NoContent, (await MoveAsync(staff, shop, "2026-06-01", id, "seated")).StatusCode);
        var order = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, type: "dineIn", table: "1")));
        var party = await PartyAsync(staff, shop, "2026-06-01", id);
        Assert.Equal("seated", party.GetAttribute("data-status"));
        Assert.Contains(order.GetProperty("number").GetString()!, party.QuerySelector(".party-orders")!.TextContent, StringComparison.Ordinal);
        // The guest's own link shows them seated.
        var guest = await (await client.GetAsync($"/api/v1/shops/{shop.Slug}/reservations/{id}")).JsonAsync();
        Assert.Equal("seated", guest.GetProperty("status").GetString());

        // A second tablet taps "Seated" again: nothing changes; a party cannot be marked a no-show once seated.
        Assert.Equal(HttpStatusCode.NoContent, (await MoveAsync(staff, shop, "2026-06-01", id, "seated")).StatusCode);
        await Asserts.ProblemAsync(await MoveAsync(staff, shop, "2026-06-01", id, "noShow"), HttpStatusCode.Conflict, "illegal-transition");

        // They leave at 19:40, 50 minutes early: the quarter they leave in stays held, the rest of the seating is free again.
        clock.Set(At("2026-06-01T19:40:00+02:00"));
        Assert.Equal(HttpStatusCode.NoContent, (await MoveAsync(staff, shop, "2026-06-01", id, "finished")).StatusCode);
        Assert.Equal(3, await app.WithDb(shop.Shop, db => db.TableHolds.CountAsync()));
        clock.Set(At("2026-06-01T19:46:00+02:00"));
        Assert.Equal(HttpStatusCode.NoContent, (await WalkInAsync(staff, shop, "2026-06-01", "1", 3)).StatusCode);
        var walkIn = await app.WithDb(shop.Shop, db => db.Reservations.SingleAsync(r => r.WalkIn));
        Assert.Equal((ReservationStatus.Seated, "1", 3), (walkIn.Status, walkIn.Tables, walkIn.PartySize));
        // A later order at table 1 is the walk-in's, not the finished party's.
        var later = await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop, type: "dineIn", table: "1")));
        Assert.DoesNotContain(later.GetProperty("number").GetString()!, (await PartyAsync(staff, shop, "2026-06-01", id)).TextContent, StringComparison.Ordinal);
        Assert.Contains(later.GetProperty("number").GetString()!, (await PartyAsync(staff, shop, "2026-06-01", walkIn.Id.ToString())).TextContent, StringComparison.Ordinal);

        // Another shop's staff cannot move this shop's party, even knowing its id.
        var other = await ReservableAsync(app, ["1:4"]);
        using var stranger = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("other"), (other, ShopRole.Owner));
        await Asserts.ProblemAsync(await MoveAsync(stranger, other, "2026-06-01", id, "cancelled"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(ReservationStatus.Finished, await app.WithDb(shop.Shop, db => db.Reservations.Where(r => r.Id == Guid.Parse(id)).Select(r => r.Status).SingleAsync()));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Ten_taps_at_once_on_two_tablets_move_a_party_once(Store store)
    {
        var clock = new TestClock(At("2026-06-01T10:00:00+02:00"));
        await using var app = await PlazaApp.StartAsync(store, clock);
        var shop = await ReservableAsync(app, ["1:4"]);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var id = await BookAsync(app.CreateClient(), shop, "2026-06-01T19:00:00+02:00");
        clock.Set(At("2026-06-01T19:20:00+02:00"));
        var token = await staff.TokenAsync(Timeline(shop, "2026-06-01"));

        var taps = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/console/{shop.Slug}/reservations?handler=Move&id={id}&to={(i % 2 == 0 ? "seated" : "noShow")}")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
            };
            request.Headers.Add("X-Requested-With", "fetch");
            using var response = await staff.Client.SendAsync(request);
            return response.StatusCode;
        }));

        // Seated and no-show race: one of them wins, once; the losers are told it changed or cannot change now.
        Assert.All(taps, s => Assert.True(s is HttpStatusCode.NoContent or HttpStatusCode.Conflict, s.ToString()));
        var party = await app.WithDb(shop.Shop, db => db.Reservations.SingleAsync());
        Assert.Equal(1, party.Version);
        Assert.True(party.Status is ReservationStatus.Seated or ReservationStatus.NoShow);
        Assert.Equal(party.Status == ReservationStatus.Seated ? 6 : 0, await app.WithDb(shop.Shop, db => db.TableHolds.CountAsync()));
    }

    [Fact]
    public async Task A_no_show_counts_only_after_its_time_frees_its_table_and_is_shown_when_the_guest_books_again()
    {
        var clock = new TestClock(At("2026-06-01T09:00:00+02:00"));
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, clock);
        var shop = await ReservableAsync(app, ["1:4"]);
        var client = app.CreateClient();
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var missed = await BookAsync(client, shop, "2026-06-01T12:00:00+02:00");

        clock.Set(At("2026-06-01T11:55:00+02:00"));
        await Asserts.ProblemAsync(await MoveAsync(staff, shop, "2026-06-01", missed, "noShow"), HttpStatusCode.Conflict, "illegal-transition");
        clock.Set(At("2026-06-01T12:20:00+02:00"));
        Assert.Contains("late", (await PartyAsync(staff, shop, "2026-06-01", missed)).ClassList);
        Assert.Equal(HttpStatusCode.NoContent, (await MoveAsync(staff, shop, "2026-06-01", missed, "noShow")).StatusCode);
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.TableHolds.CountAsync()));

        // The same guest books again with the phone written another way and another address; an unrelated guest too.
        var again = await BookAsync(client, shop, "2026-06-02T19:00:00+02:00", phone: "+49 (30) 123-4567", email: "mei.work@example.com");
        var stranger = await BookAsync(client, shop, "2026-06-02T12:00:00+02:00", name: "Ana", phone: "+49 30 7654321", email: "ana@example.com");
        Assert.Contains("1", (await PartyAsync(staff, shop, "2026-06-02", again)).QuerySelector(".no-shows")!.TextContent, StringComparison.Ordinal);
        Assert.Null((await PartyAsync(staff, shop, "2026-06-02", stranger)).QuerySelector(".no-shows"));
    }

    [Fact]
    public async Task A_walk_in_sits_until_the_tables_next_booking_and_a_table_taken_now_is_refused()
    {
        var clock = new TestClock(At("2026-06-01T10:00:00+02:00"));
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, clock);
        var shop = await ReservableAsync(app, ["1:4", "2:4"]);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        await BookAsync(app.CreateClient(), shop, "2026-06-01T19:00:00+02:00", party: 4);

        clock.Set(At("2026-06-01T18:00:00+02:00"));
        Assert.Equal(HttpStatusCode.NoContent, (await WalkInAsync(staff, shop, "2026-06-01", "1", 2)).StatusCode);
        var first = await app.WithDb(shop.Shop, db => db.Reservations.SingleAsync(r => r.WalkIn));
        Assert.Equal(At("2026-06-01T19:00:00+02:00").UtcDateTime, DateTime.SpecifyKind(first.End, DateTimeKind.Utc)); // not 19:30: the 19:00 booking keeps its table

        clock.Set(At("2026-06-01T18:40:00+02:00"));
        var taken = await WalkInAsync(staff, shop, "2026-06-01", "1", 2);
        await Asserts.ProblemAsync(taken, HttpStatusCode.Conflict, "table-unavailable");
        Assert.Equal(HttpStatusCode.NoContent, (await WalkInAsync(staff, shop, "2026-06-01", "2", 2)).StatusCode);
        await Asserts.ProblemAsync(await WalkInAsync(staff, shop, "2026-06-01", "9", 2), HttpStatusCode.BadRequest, "invalid-request");
        Assert.Equal(2, await app.WithDb(shop.Shop, db => db.Reservations.CountAsync(r => r.WalkIn)));
    }

    [Fact]
    public async Task A_guest_waits_for_a_full_day_staff_offer_the_freed_table_by_email_and_the_guest_books_it_from_the_link()
    {
        await using var mail = await SmtpSink.StartAsync();
        var clock = new TestClock(At("2026-06-01T10:00:00+02:00"));
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, clock, a => mail.Configure(a.Settings));
        // One table and one seating a night: 19:00–20:30.
        var shop = await ReservableAsync(app, ["1:4"], hours: s => s.OpeningHours = [.. Enum.GetValues<DayOfWeek>().Select(d => new OpeningRange { Day = d, Opens = 19 * 60, Closes = 20 * 60 + 30 })]);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var first = await BookAsync(app.CreateClient(), shop, "2026-06-02T19:00:00+02:00", name: "First", email: "first@example.com");
        using var guest = ConsoleSession.Anonymous(app);

        var page = $"/s/{shop.Slug}/reserve?date=2026-06-02&party=2";
        using var full = new HtmlParser().ParseDocument(await guest.Client.GetStringAsync(page));
        Assert.NotNull(full.QuerySelector("#no-times"));
        var form = full.QuerySelector("form#waitlist-form")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        (fields["Name"], fields["Phone"], fields["Email"], fields["Time"]) = ("Mei", "+49 30 1234567", "mei@example.com", "19:00");
        var token = await guest.TokenAsync(page);
        using var joined = await guest.PostFormAsync(page + "&handler=Waitlist", new(fields), token);
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        using var twice = await guest.PostFormAsync(page + "&handler=Waitlist", new(fields), token);
        var entry = Assert.Single(await app.WithDb(shop.Shop, db => db.Waitlist.ToListAsync()));
        Assert.Contains("id=\"waiting\"", await guest.Client.GetStringAsync(joined.Headers.Location!.ToString()), StringComparison.Ordinal);

        // Nothing is free yet: offering says so and queues nothing for the guest.
        await Asserts.ProblemAsync(await TapAsync(staff, shop, "2026-06-02", $"handler=Offer&entry={entry.Id}"), HttpStatusCode.Conflict, "table-unavailable");
        Assert.Equal(0, await app.WithDb(null, db => db.OutboxMails.CountAsync(m => m.To == "mei@example.com")));

        // The first party cancels by phone; staff cancel it and offer the table with one tap.
        Assert.Equal(HttpStatusCode.NoContent, (await MoveAsync(staff, shop, "2026-06-02", first, "cancelled")).StatusCode);
        Assert.Contains("19:00", (await mail.WaitForAsync("first@example.com", skip: 1)).TextBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await TapAsync(staff, shop, "2026-06-02", $"handler=Offer&entry={entry.Id}")).StatusCode);
        var offer = await mail.WaitForAsync("mei@example.com");
        var link = System.Text.RegularExpressions.Regex.Match(offer.TextBody ?? "", @"http://localhost(/s/\S+)").Groups[1].Value;
        Assert.Contains($"w={entry.Id:N}", link, StringComparison.Ordinal);

        // The link opens the booking page with the offered time chosen; the guest books it and leaves the waitlist.
        using var offered = new HtmlParser().ParseDocument(await guest.Client.GetStringAsync(link));
        var bookForm = offered.QuerySelector("form#reserve-form")!;
        var chosen = bookForm.QuerySelector("input[name=Start][checked]")!;
        Assert.Equal("19:00", chosen.ParentElement!.TextContent.Trim());
        var booking = bookForm.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        (booking["Start"], booking["Name"], booking["Phone"], booking["Email"], booking["Note"]) = (chosen.GetAttribute("value")!, "Mei", "+49 30 1234567", "mei@example.com", "");
        using var booked = await guest.PostFormAsync(link, new(booking), await guest.TokenAsync(link));
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        Assert.Equal(WaitlistStatus.Booked, await app.WithDb(shop.Shop, db => db.Waitlist.Select(e => e.Status).SingleAsync()));
        using var day = new HtmlParser().ParseDocument(await staff.Client.GetStringAsync(Timeline(shop, "2026-06-02")));
        Assert.Empty(day.QuerySelectorAll("#waitlist li"));
        Assert.Contains("Mei", day.QuerySelector("#arrivals")!.TextContent, StringComparison.Ordinal);
    }
}
