using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>
/// A Chinese owner's spreadsheet, as Excel on Chinese Windows saves "CSV": GBK bytes, Chinese column names, a
/// Chinese keyboard's full-width brackets, colon and bar in the options. The console reads it as written, shows what
/// will change before anything does, puts it on the menu only when confirmed, and takes it off again on undo.
/// </summary>
public sealed class MenuImportTests
{
    private const string Password = "a long owner password";

    private static byte[] ExcelChineseCsv() => CodePagesEncodingProvider.Instance.GetEncoding(54936)!.GetBytes(
        "分类,名称,描述,价格,税类,标签,过敏原,库存,售罄,选项\r\n" +
        "面食,牛肉拉面,清汤牛肉，手工拉制,18,food,,,,否,面型（1-1）：细 +0 ｜ 宽 +0\r\n" +
        "面食,酸菜牛肉面,,20,food,,,,否,\r\n" +
        "小吃,凉皮,酸辣爽口,12,food,辣,,20,否,\r\n");

    [Fact]
    public async Task A_chinese_owner_imports_a_GBK_spreadsheet_sees_the_preview_confirms_it_and_undoes_it()
    {
        await using var node = await BrowserNode.StartAsync();
        await node.AddDemoOwnerAsync("owner@example.com", Password);
        var owner = await node.SignInAsync("owner@example.com", Password, "zh-CN");

        await owner.GotoAsync("/console/demo/menu");
        await owner.Locator("form[action='menu?handler=Import'] input[type=file]")
            .SetInputFilesAsync(new FilePayload { Name = "菜单.csv", MimeType = "text/csv", Buffer = ExcelChineseCsv() });
        await owner.Locator("form[action='menu?handler=Import'] button").ClickAsync();

        // The preview: the Chinese names read right, nothing on the menu yet.
        await owner.WaitForURLAsync("**/console/demo/menu/import/*");
        await Expect(owner.Locator("h1")).ToHaveTextAsync("核对导入");
        await Expect(owner.Locator("main")).ToContainTextAsync("GB18030");
        var preview = owner.Locator("table.import-preview tbody tr");
        await Expect(preview).ToHaveCountAsync(3);
        await Expect(preview.Nth(0)).ToContainTextAsync("面食");
        await Expect(preview.Nth(0)).ToContainTextAsync("牛肉拉面");
        await Expect(preview.Nth(2)).ToContainTextAsync("凉皮");
        await Expect(preview.Nth(2)).ToContainTextAsync("新分类");
        var customer = await node.NewPageAsync("zh-CN");
        await customer.GotoAsync("/s/demo");
        await Expect(customer.Locator("main")).Not.ToContainTextAsync("牛肉拉面");
        await BrowserNode.ScreenshotAsync(owner, "menu-import-preview-zh");

        // Confirmed: the storefront shows the dishes, the option group as typed on a Chinese keyboard.
        await owner.Locator("form[action='?handler=Apply'] button").ClickAsync();
        await owner.WaitForURLAsync("**/console/demo/menu");
        await Expect(owner.Locator(".flash")).ToContainTextAsync("已导入 3 件商品");
        await customer.ReloadAsync();
        await Expect(customer.Locator("main")).ToContainTextAsync("牛肉拉面");
        await Expect(customer.Locator("main")).ToContainTextAsync("凉皮");
        var noodles = customer.Locator("article.item").Filter(new() { HasText = "牛肉拉面" });
        await Expect(noodles).ToContainTextAsync("面型");
        await Expect(noodles).ToContainTextAsync("宽");

        // Undone: the dishes and their categories are gone again.
        await owner.Locator(".undo-import button").ClickAsync();
        await Expect(owner.Locator(".flash")).ToContainTextAsync("已撤销");
        await customer.GotoAsync("/s/demo");
        await Expect(customer.Locator("main")).Not.ToContainTextAsync("牛肉拉面");
        await Expect(customer.Locator("main")).Not.ToContainTextAsync("面食");
        await Expect(owner.Locator(".undo-import")).ToHaveCountAsync(0);
    }
}
