using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>
/// A new owner's first hour, in English and in Chinese: opens a shop in the console, adds tables 1–8,
/// prints the table codes, and a customer scans table 3's code off the printed sheet and orders there.
/// </summary>
public sealed class FirstWeekTests
{
    private const string Password = "a long owner password";

    public static TheoryData<string, Words> Languages => new()
    {
        { "en-GB", new("en", "6", "Your shops", "Shop name", "Web address", "Open shop", "Tables", "Table codes", "Add", "Print all table codes", "Table 3", "Place order") },
        { "zh-CN", new("zh-Hans", "６％", "您的店铺", "店铺名称", "网址", "开店", "桌台", "桌码", "添加", "打印全部桌码", "3号桌", "提交订单") },
    };

    public sealed record Words(string ShopLanguage, string TaxRate, string YourShops, string ShopName, string WebAddress, string OpenShop, string Tables, string TableCodes, string Add,
        string PrintAll, string Table3, string PlaceOrder);

    [Theory, MemberData(nameof(Languages))]
    public async Task A_new_owner_opens_a_shop_adds_tables_prints_their_codes_and_a_customer_orders_from_table_3s_printed_code(string locale, Words words)
    {
        await using var node = await BrowserNode.StartAsync(publicUrl: true);
        await node.AddDemoOwnerAsync("owner@example.com", Password);
        var owner = await node.SignInAsync("owner@example.com", Password, locale);

        // Opens a second shop.
        await owner.GotoAsync("/console/demo/shops");
        await Expect(owner.Locator("h1")).ToHaveTextAsync(words.YourShops);
        await owner.GetByLabel(words.ShopName).FillAsync("兰州拉面 Lanzhou Noodles");
        await owner.GetByLabel(words.WebAddress).FillAsync("lanzhou");
        await owner.Locator("#new-lang").SelectOptionAsync(words.ShopLanguage);
        await owner.GetByRole(AriaRole.Button, new() { Name = words.OpenShop }).ClickAsync();
        await owner.WaitForURLAsync("**/console/lanzhou/settings");
        // A night-market stall, open around the clock, so the test's order never meets closing time
        // (a new shop opens 08:00-20:00, and a dine-in order outside the hours is refused).
        for (var day = 0; day < 7; day++)
        {
            await owner.Locator($"#h{day}").FillAsync("00:00-24:00");
        }
        await owner.Locator("form.card button.primary.wide[type=submit]").ClickAsync();
        await Expect(owner.Locator(".flash")).ToBeVisibleAsync();

        // Fills in the profile, logo included, and sets the tax rate.
        await owner.GotoAsync("/console/lanzhou/profile");
        await owner.Locator("#cuisine").FillAsync("兰州拉面 Lanzhou noodles");
        await owner.Locator("#phone").FillAsync("021 5555 0100");
        await owner.Locator("#address").FillAsync("上海市黄浦区南京东路 1 号");
        await owner.Locator("#lat").FillAsync("31.2353");
        await owner.Locator("#lon").FillAsync("121.484");
        await owner.Locator("#logo").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = Logo() });
        await owner.Locator("#profile button[type=submit]").ClickAsync();
        await Expect(owner.Locator(".flash")).ToBeVisibleAsync();
        await owner.GotoAsync("/console/lanzhou/taxes");
        await owner.Locator("input[name='Form.Rates[0].Rate']").FillAsync(words.TaxRate);
        await owner.Locator("#taxes button[type=submit]").ClickAsync();
        await Expect(owner.Locator(".flash")).ToBeVisibleAsync();

        // Puts one dish on the menu.
        await owner.GotoAsync("/console/lanzhou/menu");
        await owner.Locator("#new-category").FillAsync("面 Noodles");
        await owner.Locator("#new-category + button").ClickAsync();
        await owner.GotoAsync("/console/lanzhou/menu/items/new");
        await owner.Locator("#name").FillAsync("牛肉拉面 Beef noodles");
        await owner.Locator("#price").FillAsync("18");
        await owner.Locator("button.primary.wide[type=submit]").ClickAsync();
        await Expect(owner.Locator(".flash")).ToContainTextAsync("牛肉拉面 Beef noodles");

        // Adds tables 1–8.
        await owner.GotoAsync("/console/lanzhou/tables");
        await Expect(owner.Locator("h1")).ToHaveTextAsync(words.Tables);
        await owner.GetByLabel(words.TableCodes).FillAsync("1-8");
        await owner.Locator("#add-tables").GetByRole(AriaRole.Button, new() { Name = words.Add }).ClickAsync();
        await Expect(owner.Locator(".table-card")).ToHaveCountAsync(8);
        await BrowserNode.ScreenshotAsync(owner, $"tables-{locale}");

        // Prints the sheet of codes to PDF and turns its first page into a picture, as a scanner would see paper.
        await owner.GetByRole(AriaRole.Link, new() { Name = words.PrintAll }).ClickAsync();
        await owner.WaitForURLAsync("**/console/lanzhou/tables/print");
        await Expect(owner.Locator(".code-cell")).ToHaveCountAsync(8);
        await Expect(owner.Locator(".code-cell .logo")).ToHaveCountAsync(8);
        var printed = await BrowserNode.PrintAsync(owner);
        Assert.All(printed.SizesMm, size => Assert.Equal((210, 297), size));
        var found = printed.Pages.SelectMany(QrDecoder.DecodeAll).ToList();
        var table3 = $"{node.BaseAddress.ToString().TrimEnd('/')}/s/lanzhou/t/3";
        Assert.Equal(8, found.Count);
        Assert.Contains(table3, found);

        // Opens the board and starts the shift: a new shop takes orders only while someone is there to accept them.
        await owner.GotoAsync("/console/lanzhou/board");
        await owner.Locator("#shift-start").ClickAsync();
        await Expect(owner.Locator("#shift")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("started"));

        // A customer scans table 3 and orders there: the table is enough, no name or phone asked.
        var customer = await node.NewPageAsync(locale);
        await customer.GotoAsync(table3);
        await Expect(customer.Locator(".table-banner")).ToContainTextAsync(words.Table3);
        var dish = customer.Locator("article.item", new() { HasText = "牛肉拉面 Beef noodles" });
        await dish.Locator("summary").ClickAsync();
        await dish.Locator("form.add-form button[type=submit]").ClickAsync();
        await customer.Locator("#cart-bar").ClickAsync();
        await customer.GetByRole(AriaRole.Button, new() { Name = words.PlaceOrder }).ClickAsync();

        await customer.WaitForURLAsync("**/s/lanzhou/orders/**");

        // The open board shows it as table 3's order.
        // The owner's 6 % is in it: 18.00 with tax included holds 1.02 of tax.
        var orderId = customer.Url.Split('/')[^1];
        using var api = new HttpClient { BaseAddress = node.BaseAddress };
        using var order = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync($"/api/v1/shops/lanzhou/orders/{orderId}"));
        Assert.Equal(("3", 1800, 102), (order.RootElement.GetProperty("table").GetString(),
            order.RootElement.GetProperty("total").GetProperty("amount").GetInt64(), order.RootElement.GetProperty("tax").GetProperty("amount").GetInt64()));
        await Expect(owner.Locator(".ticket", new() { HasText = "牛肉拉面 Beef noodles" })).ToContainTextAsync(words.Table3);
    }

    /// <summary>A plain square logo, as a PNG.</summary>
    private static byte[] Logo()
    {
        using var bitmap = new SkiaSharp.SKBitmap(96, 96);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(SkiaSharp.SKColors.OrangeRed);
        }
        using var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
