using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>Script in any merchant- or customer-supplied text is shown as text, never run.</summary>
public sealed class XssTests
{
    private const string Payload = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

    [Fact]
    public async Task Script_in_menu_shop_and_order_text_stays_inert_on_every_page()
    {
        await using var node = await BrowserNode.StartAsync();
        int itemId, optionId;
        using (var scope = node.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var shop = await db.Shops.SingleAsync(s => s.Slug == "demo");
            scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
            shop.Description = "Shop " + Payload;
            var item = await db.Items.Include(i => i.OptionGroups).ThenInclude(g => g.Options).FirstAsync(i => i.Name == "Flat white");
            item.Name = "Flat " + Payload;
            item.Description = "Milk " + Payload;
            item.OptionGroups[0].Options[0].Name = "Size " + Payload;
            (await db.Categories.FirstAsync()).Name = "Coffee " + Payload;
            var account = await scope.ServiceProvider.GetRequiredService<Accounts>().CreateAsync("owner@example.com", "Owner " + Payload, "a long owner password", CancellationToken.None);
            db.Memberships.Add(new Membership { AccountId = account.Id, ShopId = shop.Id, Role = ShopRole.Owner });
            await db.SaveChangesAsync();
            itemId = item.Id;
            optionId = item.OptionGroups[0].Options[0].Id;
        }
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        var placed = await http.PostAsJsonAsync("/api/v1/shops/demo/orders", new
        {
            type = "pickup",
            items = new[] { new { itemId, quantity = 1, optionIds = new[] { optionId } } },
            customer = new { name = "Eve " + Payload, phone = "+49 30 1234567" },
            note = "Note " + Payload,
        });
        var orderId = (await placed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();

        var page = await node.NewPageAsync();
        // A payload that reached the page as markup would be stopped by the CSP, which says so on the console:
        // any such report means encoding broke somewhere, even though nothing ran.
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                blocked.Add($"{page.Url}: {message.Text}");
            }
        };
        async Task AssertInertAsync(ILocator shown)
        {
            await Expect(shown).ToContainTextAsync("<script>window.pwned=2</script>");
            Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
            Assert.Equal(0, await page.Locator("script:not([src]):not([type='application/ld+json'])").CountAsync());
            Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));
        }

        foreach (var path in new[] { "/s/demo", "/s/demo/t/3", $"/s/demo/orders/{orderId}" })
        {
            await page.GotoAsync(path);
            await AssertInertAsync(page.Locator("body"));
        }

        // The cart and checkout build their rows from the same text, in script.
        await page.GotoAsync("/s/demo");
        var card = page.Locator($"#item-{itemId}");
        await card.Locator("summary").ClickAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
        await page.Locator("#cart-bar").ClickAsync();
        await AssertInertAsync(page.Locator("#lines"));

        // Staff see the customer's name and note on the live board, the owner the menu and its translations.
        await page.GotoAsync("/console/sign-in");
        await page.GetByLabel("E-mail").FillAsync("owner@example.com");
        await page.GetByLabel("Password").FillAsync("a long owner password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GotoAsync("/console/demo/board");
        await Expect(page.Locator(".ticket").First).ToContainTextAsync("Eve <img src=x");
        await AssertInertAsync(page.Locator(".ticket").First);
        foreach (var path in new[] { "/console/demo/menu", "/console/demo/translations" })
        {
            await page.GotoAsync(path);
            await AssertInertAsync(page.Locator("main"));
        }
        Assert.Empty(blocked);
    }
}
