using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>
/// The shop console's navigation (groups, then the group's pages) on a 360 px phone and a 1280×800 kitchen
/// tablet, in English and Chinese. The pages it must lead to come from the app's endpoint table, not from
/// the navigation's own list, so a page left out of the navigation fails here.
/// </summary>
public sealed partial class ConsoleNavigationTests
{
    private const string StaffPassword = "a long staff password";

    /// <summary>
    /// The owner's walk on a phone in both languages (where a long word or a wide table makes a page scroll sideways) and on
    /// the tablet in Chinese; the tablet in English shows the same pages with more room than the phone in English.
    /// </summary>
    public static TheoryData<int, int, string> OwnerScreens => new()
    {
        { 360, 740, "en-GB" },
        { 360, 740, "zh-CN" },
        { 1280, 800, "zh-CN" },
    };

    /// <summary>What staff may open does not depend on the screen: one phone and one tablet, one in each language.</summary>
    public static TheoryData<int, int, string> StaffScreens => new()
    {
        { 360, 740, "zh-CN" },
        { 1280, 800, "en-GB" },
    };

    [Theory, MemberData(nameof(OwnerScreens))]
    public async Task The_demo_owner_reaches_every_console_page_by_group_then_page_and_nothing_scrolls_sideways(int width, int height, string locale)
    {
        await using var node = await BrowserNode.StartAsync();
        var pages = ShopPages(node);
        var page = await node.NewPageAsync(locale);
        await page.SetViewportSizeAsync(width, height);
        await SignInAsync(page, DemoShop.OwnerEmail, await node.DemoOwnerPasswordAsync());

        var reached = await WalkAsync(page, locale, pages, owner: true);
        Assert.Equal(pages.Select(p => p.Path).Order(StringComparer.Ordinal), reached.Order(StringComparer.Ordinal));

        var nav = page.Locator("nav.console-nav");
        // An item's editor sits below the menu: its group and page are marked, but it is not the menu page.
        await page.GotoAsync("/console/demo/menu/items/new");
        await Expect(nav.Locator(".nav-pages a[href='/console/demo/menu']")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(nav.Locator("[aria-current=page]")).ToHaveCountAsync(0);

        var zh = locale.StartsWith("zh", StringComparison.Ordinal);
        var name = $"console-nav-{(width < 600 ? "phone" : "tablet")}-{(zh ? "zh" : "en")}";
        if (width < 600)
        {
            await page.GotoAsync("/console/demo/followers");
            await BrowserNode.ScreenshotAsync(page, name, fullPage: false);
        }
        else
        {
            // The kitchen view's large type carries over to the navigation.
            await page.GotoAsync("/console/demo/board?kitchen=true");
            await AssertFitsAsync(page, "kitchen board", locale);
            await AssertKitchenSizedAsync(page);
            await BrowserNode.ScreenshotAsync(page, name, fullPage: false);
        }
    }

    [Theory, MemberData(nameof(StaffScreens))]
    public async Task Staff_see_only_the_pages_open_to_them_and_no_owner_links(int width, int height, string locale)
    {
        await using var node = await BrowserNode.StartAsync();
        var pages = ShopPages(node);
        await StaffAsync(node, "staff@example.com");
        var page = await node.NewPageAsync(locale);
        await page.SetViewportSizeAsync(width, height);
        await SignInAsync(page, "staff@example.com", StaffPassword);

        var reached = await WalkAsync(page, locale, pages, owner: false);
        Assert.Equal(pages.Where(p => !p.OwnerOnly).Select(p => p.Path).Order(StringComparer.Ordinal), reached.Order(StringComparer.Ordinal));

        if (width >= 600)
        {
            await page.GotoAsync("/console/demo/board?kitchen=true");
            await AssertFitsAsync(page, "kitchen board", locale);
            await AssertKitchenSizedAsync(page);
            await BrowserNode.ScreenshotAsync(page, $"console-nav-tablet-staff-{(locale.StartsWith("zh", StringComparison.Ordinal) ? "zh" : "en")}", fullPage: false);
        }
    }

    /// <summary>
    /// Clicks each group in the navigation (when there is a row of groups), then each of its pages, as a
    /// person would; on every page checks the marks, the fit and that no link leads to a page this person
    /// may not open. Returns the pages reached, as route patterns.
    /// </summary>
    private static async Task<List<string>> WalkAsync(IPage page, string locale, List<(string Path, bool OwnerOnly)> pages, bool owner)
    {
        var forbidden = owner ? [] : pages.Where(p => p.OwnerOnly).Select(p => p.Path.Replace("{shop}", "demo", StringComparison.Ordinal)).ToList();
        var nav = page.Locator("nav.console-nav");
        var groups = nav.Locator(".nav-groups a");
        var links = nav.Locator(".nav-pages a");
        var reached = new List<string>();
        var groupCount = Math.Max(1, await groups.CountAsync());
        for (var g = 0; g < groupCount; g++)
        {
            if (await groups.CountAsync() > 0)
            {
                await groups.Nth(g).ClickAsync();
                await Expect(groups.Nth(g)).ToHaveAttributeAsync("aria-current", "true");
                await Expect(nav.Locator(".nav-groups [aria-current]")).ToHaveCountAsync(1);
            }
            var linkCount = await links.CountAsync();
            Assert.True(linkCount > 0, $"Group {g} has no pages.");
            for (var p = 0; p < linkCount; p++)
            {
                var href = (await links.Nth(p).GetAttributeAsync("href"))!;
                await links.Nth(p).ClickAsync();
                await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(href) + "$"));
                await Expect(links.Nth(p)).ToHaveAttributeAsync("aria-current", "page");
                await Expect(nav.Locator("[aria-current=page]")).ToHaveCountAsync(1);
                if (await groups.CountAsync() > 0)
                {
                    await Expect(groups.Nth(g)).ToHaveAttributeAsync("aria-current", "true");
                }
                await AssertFitsAsync(page, href, locale);
                var everyLink = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a[href]')].map(a => new URL(a.href).pathname)");
                Assert.Empty(everyLink.Intersect(forbidden));
                reached.Add(href.Replace("/console/demo/", "/console/{shop}/", StringComparison.Ordinal));
            }
        }
        return reached;
    }

    /// <summary>
    /// A shop's console pages a person opens without an id or other part: each Razor page at
    /// <c>/console/{shop}/name</c>, and whether the page keeps itself to owners.
    /// </summary>
    private static List<(string Path, bool OwnerOnly)> ShopPages(BrowserNode node)
    {
        var pages = node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IShopConsoleEndpoint>() is not null && e.Metadata.GetMetadata<CompiledPageActionDescriptor>() is not null)
            // Printed pages (the door poster, the table sheets) have no navigation; their console pages link to them.
            .Where(e => e.Metadata.GetMetadata<Plaza.Common.PrintedAttribute>() is null)
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), OwnerOnly: e.Metadata.GetMetadata<OwnerOnlyAttribute>() is not null))
            .Where(p => OnePage().IsMatch(p.Path))
            .Distinct()
            .ToList();
        Assert.True(pages.Count >= 13, $"Only {pages.Count} console pages found: {string.Join(", ", pages)}");
        return pages;
    }

    [GeneratedRegex("^/console/\\{shop\\}/[a-z-]+$")]
    private static partial Regex OnePage();

    /// <summary>Nothing scrolls sideways, every navigation link is a 44 px tap target on the screen, and in Chinese every label is translated.</summary>
    private static async Task AssertFitsAsync(IPage page, string where, string locale)
    {
        // One round trip to the browser for the whole page: the walk checks some 30 pages per screen.
        var json = await page.EvaluateAsync<string>("""
            () => {
              const box = e => { const r = e.getBoundingClientRect(); return { text: e.innerText, x: r.x, width: r.width, height: r.height }; };
              const shop = document.querySelector('header .shop-name');
              return JSON.stringify({
                scrollWidth: document.documentElement.scrollWidth,
                innerWidth: window.innerWidth,
                links: [...document.querySelectorAll('nav.console-nav a')].map(box),
                storefront: shop ? box(shop) : null,
              });
            }
            """);
        var layout = System.Text.Json.JsonSerializer.Deserialize<Layout>(json, WebJson)!;
        Assert.True(layout.ScrollWidth <= layout.InnerWidth, $"{where} is {layout.ScrollWidth} px wide on a {layout.InnerWidth} px screen.");
        Assert.NotEmpty(layout.Links);
        foreach (var link in layout.Links)
        {
            Assert.True(link.Height >= 44, $"'{link.Text}' on {where} is {link.Height} px high.");
            Assert.True(link.X >= 0 && link.X + link.Width <= layout.InnerWidth, $"'{link.Text}' on {where} is outside the screen.");
            if (locale.StartsWith("zh", StringComparison.Ordinal))
            {
                Assert.Matches(Chinese(), link.Text);
            }
        }
        // The storefront link sits in the header, as the shop's name.
        var storefront = layout.Storefront ?? throw new Xunit.Sdk.XunitException($"{where} has no storefront link in its header.");
        Assert.True(storefront.Height >= 44 && storefront.X + storefront.Width <= layout.InnerWidth, $"The storefront link on {where} is {storefront.Width}×{storefront.Height} px at {storefront.X}.");
    }

    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private sealed record Box(string Text, double X, double Width, double Height);

    private sealed record Layout(int ScrollWidth, int InnerWidth, Box[] Links, Box? Storefront);

    /// <summary>In a tablet's kitchen view the navigation is as large as the board's type: links 52 px high.</summary>
    private static async Task AssertKitchenSizedAsync(IPage page)
    {
        var heights = await page.Locator("nav.console-nav a").EvaluateAllAsync<double[]>("links => links.map(a => a.getBoundingClientRect().height)");
        Assert.NotEmpty(heights);
        Assert.All(heights, h => Assert.True(h >= 52, $"A link in the kitchen view is {h} px high."));
    }

    [GeneratedRegex("\\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/console/sign-in");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(password);
        await page.Locator("form button[type=submit]").ClickAsync();
        // The demo owner has the café and the noodle bar: the console asks which shop first.
        await Expect(page).ToHaveURLAsync(new Regex("/console(/demo/board)?$"));
        if (page.Url.EndsWith("/console", StringComparison.Ordinal))
        {
            await Expect(page.Locator(".shop-list li")).ToHaveCountAsync(2);
            await page.Locator(".shop-list a[href='/console/demo/board']").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/console/demo/board$"));
        }
    }

    private static async Task StaffAsync(BrowserNode node, string email)
    {
        using var scope = node.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var shop = db.Shops.Single(s => s.Slug == DemoShop.Slug);
        scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
        var account = await scope.ServiceProvider.GetRequiredService<Accounts>().CreateAsync(email, "Staff", StaffPassword, CancellationToken.None);
        db.Memberships.Add(new Membership { AccountId = account.Id, ShopId = shop.Id, Role = ShopRole.Staff });
        await db.SaveChangesAsync();
    }
}
