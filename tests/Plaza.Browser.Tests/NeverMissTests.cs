using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>
/// The moment an order arrives, in a real browser: a shop nobody watches takes no orders; staff start the shift and
/// subscribe the tablet to alerts; a customer at table 3 orders with neither name nor phone and asks to be told; the
/// board rings until it is answered; staff accept and mark it ready, and the customer's notification reaches their push
/// service, which decrypts it with the keys the test gave the browser.
/// </summary>
public sealed partial class NeverMissTests
{
    private const string Password = "a long owner password";

    [Fact]
    public async Task Staff_start_the_shift_a_customer_at_table_3_orders_without_a_form_and_is_told_when_it_is_ready()
    {
        await using var push = await TestPushService.StartAsync();
        await using var node = await BrowserNode.StartAsync(configure: app => app.Settings["Plaza:Federation:AllowedPrivateHosts:0"] = "127.0.0.1");
        await node.AddDemoOwnerAsync("owner@example.com", Password);
        // The owner's setting, as a new shop has it: no orders while nobody is there to accept them.
        using (var scope = node.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Plaza.Data.PlazaDb>();
            await db.Shops.IgnoreQueryFilters().Where(s => s.Slug == "demo").ExecuteUpdateAsync(s => s.SetProperty(x => x.UnattendedMinutes, 5));
        }
        push.Explain = () => QueueAsync(node);

        // Before anyone is there, the table's menu says so and offers nothing to add.
        var phone = push.Subscribe("customer-phone");
        var tablet = push.Subscribe("staff-tablet");
        var customer = await PhoneAsync(node, phone);
        await customer.GotoAsync("/s/demo/t/3");
        await Expect(customer.Locator(".table-banner")).ToContainTextAsync("Table 3");
        await Expect(customer.GetByText("nobody is at the counter")).ToBeVisibleAsync();
        await Expect(customer.GetByRole(AriaRole.Button, new() { Name = "Add to order" })).ToHaveCountAsync(0);

        // Staff start the shift and put the tablet on alerts.
        var staff = await node.SignInAsync("owner@example.com", Password);
        await ArmPushAsync(staff, tablet);
        await staff.ReloadAsync();
        await staff.Locator("#shift-start").ClickAsync();
        await Expect(staff.Locator("#shift")).ToHaveClassAsync(new Regex("started"));
        await staff.Locator("#push").ClickAsync();
        await Expect(staff.Locator("#push-state")).ToHaveTextAsync("This device is alerted to new orders, also with the board closed.");

        // The customer orders at table 3: the table is enough, so name and phone are optional and left empty.
        await customer.ReloadAsync();
        var croissant = customer.Locator("article.item", new() { HasText = "Croissant" });
        await croissant.Locator("summary").ClickAsync();
        await croissant.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
        await customer.Locator("#cart-bar").ClickAsync();
        await Expect(customer.Locator("label[for=name] .if-optional")).ToBeVisibleAsync();
        await Expect(customer.Locator("label[for=phone] .if-optional")).ToBeVisibleAsync();
        await customer.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await customer.WaitForURLAsync("**/s/demo/orders/**");
        var number = await customer.Locator("[data-number]").GetAttributeAsync("data-number");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Notify me when it is ready" }).ClickAsync();
        await Expect(customer.Locator("#notify-state")).ToHaveTextAsync("You will be told when it is ready, also with this page closed.");

        // The board rings until someone answers it; the tablet is alerted too.
        var ticket = staff.Locator(".ticket", new() { HasText = "Croissant" });
        await Expect(ticket).ToContainTextAsync("Table 3");
        await Expect(staff.Locator("body")).ToHaveClassAsync(new Regex("ringing"));
        var alert = await push.WaitForAsync(tablet, ":placed");
        Assert.Equal($"New order {number}", alert.Title);

        await ticket.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(staff.Locator("body")).Not.ToHaveClassAsync(new Regex("ringing"));
        await staff.Locator(".ticket", new() { HasText = "Croissant" }).GetByRole(AriaRole.Button, new() { Name = "Start preparing" }).ClickAsync();
        await staff.Locator(".ticket", new() { HasText = "Croissant" }).GetByRole(AriaRole.Button, new() { Name = "Mark ready" }).ClickAsync();

        // The customer hears at once when all goes well; the bound allows for the alerts' sweep (15 s) and one
        // retry of the push service (10 s) on a loaded machine.
        var ready = await push.WaitForAsync(phone, ":ready", seconds: 40);
        Assert.Equal($"Order {number} is ready", ready.Title);
        Assert.EndsWith(customer.Url[customer.Url.IndexOf("/s/demo/orders/", StringComparison.Ordinal)..], ready.Url, StringComparison.Ordinal);
        Assert.Empty(push.Faults);
    }

    /// <summary>The orders' states and every queued push note, for a wait that ran out.</summary>
    private static async Task<string> QueueAsync(BrowserNode node)
    {
        using var scope = node.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Plaza.Data.PlazaDb>();
        var orders = await db.Orders.IgnoreQueryFilters().Select(o => $"{o.Number} {o.Status}").ToListAsync();
        var notes = await db.PushNotes.IgnoreQueryFilters().OrderBy(n => n.Id)
            .Select(n => $"{n.Topic} created {n.CreatedAt:HH:mm:ss.fff} attempts {n.Attempts} sent {n.SentAt:HH:mm:ss.fff} next {n.NextAttemptAt:HH:mm:ss.fff} gave up {n.GaveUpAt:HH:mm:ss} {n.LastError}")
            .ToListAsync();
        return $"now {DateTime.UtcNow:HH:mm:ss.fff}; orders: {string.Join(", ", orders)}; notes: {string.Join(" | ", notes)}";
    }

    /// <summary>A phone whose browser may show notifications and whose push service is the test's.</summary>
    private static async Task<IPage> PhoneAsync(BrowserNode node, TestPushService.Subscriber subscription)
    {
        var page = await node.NewPageAsync();
        await ArmPushAsync(page, subscription);
        return page;
    }

    /// <summary>
    /// Lets the page show notifications and makes its browser's push service the test's: Chromium's own (Google's)
    /// cannot be reached from here, so <c>pushManager.subscribe</c> hands back the subscription the test made.
    /// </summary>
    private static async Task ArmPushAsync(IPage page, TestPushService.Subscriber subscription)
    {
        await page.Context.GrantPermissionsAsync(["notifications"]);
        var json = JsonSerializer.Serialize(subscription.Json);
        await page.Context.AddInitScriptAsync($$"""
            (() => {
              const subscription = {{json}};
              let subscribed = null;
              PushManager.prototype.subscribe = function () {
                subscribed = { endpoint: subscription.endpoint, toJSON: () => subscription, unsubscribe: () => Promise.resolve(true) };
                return Promise.resolve(subscribed);
              };
              PushManager.prototype.getSubscription = function () { return Promise.resolve(subscribed); };
            })();
            """);
    }
}
