using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Reservations.ReservationTests;

namespace Plaza.Tests.Reservations;

/// <summary>The guest's pages and e-mail: book on /reserve, the confirmation with its .ics, the link to view and cancel.</summary>
public sealed class GuestReservationTests
{
    private static async Task<Dictionary<string, string>> FormAsync(ConsoleSession guest, string page, string formId, string? time = null)
    {
        var html = await guest.Client.GetStringAsync(page);
        using var document = new HtmlParser().ParseDocument(html);
        var form = document.QuerySelector($"form#{formId}") ?? throw new InvalidOperationException($"No form #{formId} on {page}: {html}");
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        if (time is not null)
        {
            var choice = form.QuerySelectorAll("label.opt").Single(l => l.TextContent.Trim() == time).QuerySelector("input")!;
            fields[choice.GetAttribute("name")!] = choice.GetAttribute("value")!;
        }
        return fields;
    }

    private static async Task<string> CalendarOfAsync(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single(p => p.ContentType.MimeType == "text/calendar");
        using var content = new MemoryStream();
        await part.Content!.DecodeToAsync(content);
        return System.Text.Encoding.UTF8.GetString(content.ToArray());
    }

    [Fact]
    public async Task A_guest_books_on_the_page_once_gets_an_ics_at_the_local_start_and_cancels_from_the_link()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, new TestClock(At("2026-03-27T09:00:00+01:00")), a => mail.Configure(a.Settings));
        var shop = await ReservableAsync(app, ["1:4"]);
        using var guest = ConsoleSession.Anonymous(app);

        // Sunday 29 March: Berlin has just moved to summer time, so 19:30 there is 17:30 UTC.
        var page = $"/s/{shop.Slug}/reserve?date=2026-03-29&party=2";
        var fields = await FormAsync(guest, page, "reserve-form", "19:30");
        (fields["Name"], fields["Phone"], fields["Email"], fields["Note"]) = ("Mei", "+49 30 1234567", "mei@example.com", "Birthday");
        var token = await guest.TokenAsync(page);
        using var booked = await guest.PostFormAsync(page, new(fields), token);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var link = booked.Headers.Location!.ToString();
        Assert.StartsWith($"/s/{shop.Slug}/reservations/", link, StringComparison.Ordinal);
        // A double tap sends the same form (same key) again: the same reservation, not a second one.
        using var again = await guest.PostFormAsync(page, new(fields), token);
        Assert.Equal(link, again.Headers.Location!.ToString());
        Assert.Equal(1, await app.WithDb(shop.Shop, db => db.Reservations.CountAsync()));

        var message = await mail.WaitForAsync("mei@example.com");
        Assert.Contains("http://localhost" + link, message.TextBody, StringComparison.Ordinal);
        var calendar = Ical.Net.Calendar.Load(await CalendarOfAsync(message))!;
        var entry = Assert.Single(calendar.Events);
        Assert.Equal(new DateTime(2026, 3, 29, 19, 30, 0, DateTimeKind.Unspecified), entry.DtStart!.Value);
        Assert.Equal("Europe/Berlin", entry.DtStart.TzId);
        Assert.Equal(new DateTime(2026, 3, 29, 17, 30, 0, DateTimeKind.Utc), entry.DtStart.AsUtc);
        Assert.Equal(new DateTime(2026, 3, 29, 21, 0, 0, DateTimeKind.Unspecified), entry.DtEnd!.Value); // 90 minutes for two

        var view = await guest.Client.GetStringAsync(link);
        Assert.Contains("2026-03-29 19:30", view, StringComparison.Ordinal);
        Assert.Contains("data-status=\"booked\"", view, StringComparison.Ordinal);
        using var cancelled = await guest.PostFormAsync(link + "?handler=Cancel", [], await guest.TokenAsync(link));
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Contains("data-status=\"cancelled\"", await guest.Client.GetStringAsync(link), StringComparison.Ordinal);
        Assert.Contains("19:30", (await mail.WaitForAsync("mei@example.com", skip: 1)).TextBody, StringComparison.Ordinal);
        Assert.Contains("<span>19:30</span>", await guest.Client.GetStringAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_shop_takes_reservations_out_of_the_box_in_English_and_Chinese()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        using var guest = ConsoleSession.Anonymous(app);
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var english = await guest.Client.GetStringAsync($"/s/demo/reserve?date={tomorrow}&party=2");
        Assert.Contains("id=\"reserve-form\"", english, StringComparison.Ordinal);
        Assert.Contains("Reserve a table", english, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/s/demo/reserve?date={tomorrow}&party=8");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var chinese = await (await guest.Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("预订餐桌", chinese, StringComparison.Ordinal);
        Assert.Contains("id=\"reserve-form\"", chinese, StringComparison.Ordinal); // 8 guests: only tables 5+6 together
    }

    [Fact]
    public async Task A_reminder_is_sent_exactly_once_although_the_node_restarts_in_between()
    {
        await using var mail = await SmtpSink.StartAsync();
        var clock = new TestClock(At("2026-06-10T08:00:00+02:00"));
        var app = await PlazaApp.StartAsync(Store.Sqlite, clock, a =>
        {
            mail.Configure(a.Settings);
            a.Settings["Plaza:Reservations:Reminders:Interval"] = "00:00:00.2";
        });
        try
        {
            var shop = await ReservableAsync(app, ["1:4"], settings: r => r.ReminderHours = 3);
            await Asserts.CreatedAsync(await app.CreateClient().PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/reservations",
                new { start = "2026-06-10T14:00:00+02:00", partySize = 2, name = "Mei", phone = "+49 30 1234567", email = "mei@example.com" }));
            Assert.Contains("Table reserved", (await mail.WaitForAsync("mei@example.com")).Subject, StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromSeconds(1)); // five sweeps before 11:00: not due yet
            Assert.Single(mail.Received, m => m.To.Mailboxes.Any(a => a.Address == "mei@example.com"));

            clock.Set(At("2026-06-10T11:05:00+02:00"));
            Assert.Contains("Reminder", (await mail.WaitForAsync("mei@example.com", skip: 1)).Subject, StringComparison.Ordinal);
            app = await app.RestartAsync();
            await Task.Delay(TimeSpan.FromSeconds(2)); // ten sweeps of the new node

            Assert.Equal(2, mail.Received.Count(m => m.To.Mailboxes.Any(a => a.Address == "mei@example.com")));
            Assert.Equal(1, await app.WithDb(null, db => db.OutboxMails.CountAsync(m => m.Subject.StartsWith("Reminder"))));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
