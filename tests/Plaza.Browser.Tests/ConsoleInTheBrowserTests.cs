using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

public sealed class ConsoleInTheBrowserTests
{
    private const string Password = "a long owner password";

    [Fact]
    public async Task The_owner_adds_an_item_a_customer_orders_it_and_the_board_and_order_page_follow_live()
    {
        await using var node = await BrowserNode.StartAsync();
        await node.AddDemoOwnerAsync("owner@example.com", Password);

        // The owner signs in on a tablet.
        var owner = await node.NewPageAsync();
        await owner.SetViewportSizeAsync(1024, 768);
        await owner.GotoAsync("/console");
        await owner.GetByLabel("E-mail").FillAsync("owner@example.com");
        await owner.GetByLabel("Password").FillAsync(Password);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(owner).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/demo/board"));

        // Adds an item with an option group.
        await owner.GotoAsync("/console/demo/menu");
        await owner.GetByRole(AriaRole.Link, new() { Name = "New item" }).ClickAsync();
        await owner.GetByLabel("Name", new() { Exact = true }).First.FillAsync("Matcha latte");
        await owner.GetByLabel("Price").FillAsync("4.20");
        await owner.Locator("#options").FillAsync("Milk(1-1): Whole milk +0.00 | Oat milk +0.50");
        await owner.Locator("#tname").FillAsync("抹茶拿铁");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(owner.Locator(".flash")).ToContainTextAsync("Saved Matcha latte");

        // Marks another sold out.
        await owner.GotoAsync("/console/demo/stock");
        await owner.Locator("tr", new() { HasText = "Croissant" }).GetByRole(AriaRole.Button, new() { Name = "Available" }).ClickAsync();
        await Expect(owner.Locator("tr", new() { HasText = "Croissant" }).Locator(".switch button")).ToHaveTextAsync("Sold out");

        // The board is open before the customer orders.
        await owner.GotoAsync("/console/demo/board");
        await Expect(owner.Locator("#live")).ToHaveTextAsync("Live");
        await owner.EvaluateAsync("() => { window.samePage = true; }");

        // A customer on a phone (second browser context) orders the new item.
        var customer = await node.NewPageAsync();
        await customer.GotoAsync("/s/demo");
        await Expect(customer.Locator("article.item", new() { HasText = "Croissant" }).Locator(".soldout")).ToBeVisibleAsync();
        var matcha = customer.Locator("article.item", new() { HasText = "Matcha latte" });
        await matcha.Locator("summary").ClickAsync();
        await matcha.GetByLabel("Oat milk").CheckAsync();
        await matcha.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
        await customer.Locator("#cart-bar").ClickAsync();
        await Expect(customer.Locator("#totals .total").Last).ToHaveTextAsync("€4.70");
        await BrowserNode.ScreenshotAsync(customer, "checkout");
        await customer.GetByLabel("Name").FillAsync("Wen");
        await customer.GetByLabel("Phone").FillAsync("+49 30 5550199");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await customer.WaitForURLAsync("**/s/demo/orders/**");
        await Expect(customer.Locator("#status")).ToHaveTextAsync("Placed");
        await customer.EvaluateAsync("() => { window.samePage = true; }");

        // The order appears on the board without a reload; staff take it to ready.
        var ticket = owner.Locator(".ticket", new() { HasText = "Matcha latte" });
        await Expect(ticket).ToBeVisibleAsync();
        await Expect(ticket).ToContainTextAsync("Oat milk");
        await Expect(owner.Locator("#badge")).ToHaveTextAsync("1");
        await ticket.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(customer.Locator("#status")).ToHaveTextAsync("Accepted");
        await ticket.GetByRole(AriaRole.Button, new() { Name = "Mark ready" }).ClickAsync();
        await Expect(ticket.Locator(".badge")).ToHaveTextAsync("Ready");

        // The customer's page shows ready without a reload.
        await Expect(customer.Locator("#status")).ToHaveTextAsync("Ready");
        await BrowserNode.ScreenshotAsync(owner, "console-board");
        await BrowserNode.ScreenshotAsync(customer, "order-ready");
        Assert.True(await customer.EvaluateAsync<bool>("() => window.samePage === true"));
        Assert.True(await owner.EvaluateAsync<bool>("() => window.samePage === true"));
    }

    [Fact]
    public async Task The_console_is_usable_on_a_360_px_phone_in_chinese()
    {
        await using var node = await BrowserNode.StartAsync();
        await node.AddDemoOwnerAsync("owner@example.com", Password);
        var page = await node.NewPageAsync("zh-CN");
        await page.SetViewportSizeAsync(360, 740);

        await page.GotoAsync("/console/sign-in");
        await page.Locator("#Email").FillAsync("owner@example.com");
        await page.Locator("#Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("订单");

        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The board scrolls sideways on a 360 px screen.");
    }
}
