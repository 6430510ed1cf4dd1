using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>
/// A table booked and a party seated, in a real browser on the node's real clock: a guest books at the demo café
/// from /s/demo/reserve; staff at the door see the booking arrive on the timeline without reloading, and it rings;
/// staff check the party in, and the guest's own link shows the reservation as seated.
/// </summary>
public sealed class ReservationsInTheBrowserTests
{
    private const string Password = "a long owner password";

    [Fact]
    public async Task A_guest_books_from_the_demo_page_staff_see_it_live_check_the_party_in_and_the_guests_link_says_seated()
    {
        await using var node = await BrowserNode.StartAsync();
        await node.AddDemoOwnerAsync("owner@example.com", Password);

        // Two days ahead always lies inside the horizon and after the lead time, whatever the hour in the café's zone;
        // a day the café is closed (or full) offers no times, so the guest tries the next one, as a person would.
        var guest = await node.NewPageAsync();
        string? date = null;
        for (var ahead = 2; ahead < 9 && date is null; ahead++)
        {
            var day = DateTime.UtcNow.AddDays(ahead).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await guest.GotoAsync($"/s/demo/reserve?date={day}&party=2");
            date = await guest.Locator("#reserve-form").CountAsync() > 0 ? day : null;
        }
        Assert.NotNull(date);

        var staff = await node.SignInAsync("owner@example.com", Password);
        await staff.GotoAsync($"/console/demo/reservations?date={date}");
        await staff.Locator("#shift-start").ClickAsync();
        await Expect(staff.Locator("#shift")).ToHaveClassAsync(new Regex("started"));
        await Expect(staff.Locator("#live")).ToHaveTextAsync("Live");

        await guest.Locator("#times input[name=Start]").First.CheckAsync();
        var time = (await guest.Locator("#times label.opt").First.InnerTextAsync()).Trim();
        await guest.GetByLabel("Your name").FillAsync("Mei Lin");
        await guest.GetByLabel("Phone").FillAsync("+49 30 1234567");
        await guest.GetByLabel("E-mail").FillAsync("mei@example.com");
        await guest.GetByRole(AriaRole.Button, new() { Name = "Reserve", Exact = true }).ClickAsync();
        await guest.WaitForURLAsync("**/s/demo/reservations/**");
        await Expect(guest.Locator("#status")).ToHaveTextAsync("Reserved");
        var link = guest.Url;

        // The timeline shows the party without a reload, and rings until someone taps the page.
        var party = staff.Locator(".party", new() { HasText = "Mei Lin" });
        await Expect(party).ToContainTextAsync(time);
        await Expect(party).ToHaveAttributeAsync("data-status", "booked");
        await Expect(staff.Locator("#timeline .tl-block", new() { HasText = "Mei Lin" })).ToHaveCountAsync(1);
        await Expect(staff.Locator("body")).ToHaveClassAsync(new Regex("ringing"));

        // Checking the party in seats them (and answers the ring).
        await party.GetByRole(AriaRole.Button, new() { Name = "Check in and seat" }).ClickAsync();
        await Expect(staff.Locator(".party", new() { HasText = "Mei Lin" })).ToHaveAttributeAsync("data-status", "seated");
        await BrowserNode.ScreenshotAsync(staff, "reservations-timeline");
        await Expect(staff.Locator("body")).Not.ToHaveClassAsync(new Regex("ringing"));

        await guest.GotoAsync(link);
        await Expect(guest.Locator("#status")).ToHaveTextAsync("Seated");
    }
}
