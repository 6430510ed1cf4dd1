using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

public sealed class OrderingInTheBrowserTests
{
    [Fact]
    public async Task A_table_guest_orders_two_items_with_options_and_sees_the_status_change_live()
    {
        await using var node = await BrowserNode.StartAsync();
        var page = await node.NewPageAsync();

        await page.GotoAsync("/s/demo/t/5");
        await Expect(page.GetByText("You are at Table 5")).ToBeVisibleAsync();

        var flatWhite = page.Locator("article.item", new() { HasText = "Flat white" });
        await flatWhite.Locator("summary").ClickAsync();
        await flatWhite.GetByLabel("Large").CheckAsync();
        await flatWhite.GetByLabel("Oat milk").CheckAsync();
        await flatWhite.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();

        var eggs = page.Locator("article.item", new() { HasText = "Eggs on toast" });
        await eggs.Locator("summary").ClickAsync();
        await eggs.GetByLabel("Rye").CheckAsync();
        await eggs.GetByLabel("Poached").CheckAsync();
        await eggs.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();

        var cartBar = page.Locator("#cart-bar");
        await Expect(cartBar).ToContainTextAsync("2 items");
        await cartBar.ClickAsync();

        await Expect(page.Locator("#lines li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#lines")).ToContainTextAsync("Large, Oat milk");
        // Flat white 3.60 + 0.60 + 0.50, eggs on toast 8.90 + 0.50, priced by the server.
        await Expect(page.Locator("#totals .total").Last).ToHaveTextAsync("€14.10");
        await Expect(page.GetByLabel("At my table")).ToBeCheckedAsync();
        await page.GetByLabel("Name").FillAsync("Lin");
        await page.GetByLabel("Phone").FillAsync("+49 30 5550123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await page.WaitForURLAsync("**/s/demo/orders/**");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Placed");
        await Expect(page.Locator(".number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^A-\\d{3}$"));
        var orderId = page.Url.Split('/').Last();
        await page.EvaluateAsync("() => { window.samePage = true; }");

        using var staff = node.Api(await node.StaffTokenAsync("demo"));
        var accepted = await staff.PostAsJsonAsync($"/api/v1/shops/demo/orders/{orderId}/status", new { status = "accepted", readyInMinutes = 10 });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await Expect(page.Locator("#status")).ToHaveTextAsync("Accepted");
        await Expect(page.Locator("#ready-at")).ToContainTextAsync("Ready around");

        await staff.PostAsJsonAsync($"/api/v1/shops/demo/orders/{orderId}/status", new { status = "preparing" });
        await staff.PostAsJsonAsync($"/api/v1/shops/demo/orders/{orderId}/status", new { status = "ready" });
        await Expect(page.Locator("#status")).ToHaveTextAsync("Ready");
        await Expect(page.Locator("li[data-step=ready]")).ToHaveClassAsync("done");

        Assert.True(await page.EvaluateAsync<bool>("() => window.samePage === true"), "The page reloaded; it should update in place.");
        await page.ReloadAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Ready");
        await Expect(page.Locator(".lines")).ToContainTextAsync("Eggs on toast");
    }

    [Fact]
    public async Task The_menu_browses_and_filters_without_javascript()
    {
        await using var node = await BrowserNode.StartAsync();
        var context = await node.Browser.NewContextAsync(new() { BaseURL = node.BaseAddress.ToString(), JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/s/demo");
        await Expect(page.Locator("article.item")).ToHaveCountAsync(27);
        await page.GetByRole(AriaRole.Link, new() { Name = "vegan", Exact = true }).ClickAsync();
        await Expect(page.Locator("article.item", new() { HasText = "Flat white" })).ToHaveCountAsync(0);
        await Expect(page.Locator("article.item", new() { HasText = "Avocado toast" })).ToHaveCountAsync(1);
        await Expect(page.Locator("article.item", new() { HasText = "Lemon tart" })).ToHaveCountAsync(0);

        await page.GotoAsync("/s/demo?q=tart");
        await Expect(page.Locator("article.item", new() { HasText = "Lemon tart" }).Locator(".soldout")).ToHaveTextAsync("Sold out");
    }

    [Fact]
    public async Task A_browser_that_asks_for_chinese_gets_the_storefront_in_chinese()
    {
        await using var node = await BrowserNode.StartAsync();
        var page = await node.NewPageAsync("zh-CN");

        await page.GotoAsync("/s/demo");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
        await Expect(page.Locator(".state")).ToHaveTextAsync("营业中");
        // The demo café's menu carries Chinese words: its dishes are named in Chinese too.
        await Expect(page.Locator("article.item", new() { HasText = "馥芮白" }).Locator("summary")).ToHaveTextAsync("添加");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Flat white");
    }
}
