using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>
/// A menu spreadsheet is read in whatever encoding the owner's spreadsheet program chose, shown before it changes
/// anything, put on the menu only when confirmed, and the last import can be undone.
/// </summary>
public sealed class MenuImportTests
{
    private const string Rows = "分类,名称,描述,价格,税类,标签,过敏原,库存,售罄,选项\r\n面食,牛肉拉面,清汤，手工,18,food,,,,否,面型（1-1）：细 +0 ｜ 宽 +2\r\n";

    public static TheoryData<string, byte[]> Files => new()
    {
        { SpreadsheetText.Utf8, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Rows)] },
        { SpreadsheetText.Utf8, Encoding.UTF8.GetBytes(Rows) },
        // Excel on Chinese Windows: "CSV (逗号分隔)" is GBK, which GB18030 contains.
        { SpreadsheetText.Gb18030, CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes(Rows) },
        { SpreadsheetText.Gb18030, CodePagesEncodingProvider.Instance.GetEncoding(54936)!.GetBytes(Rows) },
        // Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated; and UTF-16 without one.
        { SpreadsheetText.Utf16, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Rows.Replace(',', '\t'))] },
        { SpreadsheetText.Utf16, Encoding.Unicode.GetBytes(Rows) },
        { SpreadsheetText.Utf16, [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Rows)] },
    };

    [Theory, MemberData(nameof(Files))]
    public void A_spreadsheet_is_read_in_the_encoding_it_was_saved_in(string encoding, byte[] file)
    {
        var (text, found) = SpreadsheetText.Decode(file);
        var (rows, errors) = MenuCsv.Read(text, 2);

        Assert.Equal(encoding, found);
        Assert.Empty(errors);
        var row = Assert.Single(rows);
        Assert.Equal(("面食", "牛肉拉面", "清汤，手工", 1800L), (row.Category, row.Name, row.Description, row.Price));
        // The options were typed with a Chinese keyboard's full-width brackets, colon and bar.
        var group = Assert.Single(row.OptionGroups);
        Assert.Equal(("面型", 1, 1), (group.Name, group.MinSelect, group.MaxSelect));
        Assert.Equal([("细", 0L), ("宽", 200L)], group.Options.Select(o => (o.Name, o.PriceDelta)));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Nothing_changes_until_the_owner_confirms_and_undo_puts_the_menu_back_as_it_was(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var before = await MenuCsvTests.ExportAsync(owner, shop);
        var csv = CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes(
            "category,name,description,price,tax_category,tags,allergens,stock,sold_out,options\r\n" +
            "面食,牛肉拉面,,18.00,food,,,,no,\r\n" +                       // new, in a new category
            "All,Cake,,3.90,food,,,,no,\r\n" +                              // repriced from 4.50
            "All,Coffee,,3.00,drinks,,,,no,Size(1-1): Small +0 | Large +1\r\n" + // options replaced
            "All,Bun,,3.50,food,,,10,no,\r\n");                             // as it is

        using var uploaded = await MenuCsvTests.UploadAsync(owner, shop, csv, "菜单.csv");

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var preview = uploaded.Headers.Location!.OriginalString;
        var page = await owner.Client.GetStringAsync(preview);
        Assert.Contains("GB18030", page, StringComparison.Ordinal);
        Assert.Contains("1 new items, 2 changed, 1 as they are.", page, StringComparison.Ordinal);
        Assert.Contains("牛肉拉面", page, StringComparison.Ordinal);
        Assert.Equal(before, await MenuCsvTests.ExportAsync(owner, shop)); // the preview changed nothing

        using var applied = await owner.PostFormAsync(preview + "?handler=Apply", [], await owner.TokenAsync(preview));

        Assert.Equal(HttpStatusCode.Redirect, applied.StatusCode);
        var after = await MenuCsvTests.ExportAsync(owner, shop);
        Assert.Contains("牛肉拉面,,18.00", after, StringComparison.Ordinal);
        Assert.Contains("All,Cake,,3.90", after, StringComparison.Ordinal);
        Assert.Contains("Size(1-1): Small +0.00 | Large +1.00", after, StringComparison.Ordinal);
        // Confirming twice (a double tap, a back button) imports once.
        using var again = await owner.PostFormAsync(preview + "?handler=Apply", [], await owner.TokenAsync("/console/" + shop.Slug + "/menu"));
        Assert.Equal(after, await MenuCsvTests.ExportAsync(owner, shop));

        var menu = await owner.Client.GetStringAsync($"/console/{shop.Slug}/menu");
        Assert.Contains("Undo the last import", menu, StringComparison.Ordinal);
        using var undone = await owner.PostFormAsync(preview + "?handler=Undo", [], await owner.TokenAsync($"/console/{shop.Slug}/menu"));

        Assert.Equal(HttpStatusCode.Redirect, undone.StatusCode);
        Assert.Equal(before, await MenuCsvTests.ExportAsync(owner, shop));
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Categories.CountAsync(c => c.Name == "面食")));
        Assert.DoesNotContain("Undo the last import", await owner.Client.GetStringAsync($"/console/{shop.Slug}/menu"), StringComparison.Ordinal);
        // Undo goes back one step, once.
        using var twice = await owner.PostFormAsync(preview + "?handler=Undo", [], await owner.TokenAsync($"/console/{shop.Slug}/menu"));
        Assert.Equal(before, await MenuCsvTests.ExportAsync(owner, shop));
    }

    [Fact]
    public async Task A_cancelled_import_changes_nothing_and_cannot_be_confirmed_later()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var before = await MenuCsvTests.ExportAsync(owner, shop);
        using var uploaded = await MenuCsvTests.UploadAsync(owner, shop, Encoding.UTF8.GetBytes(Rows));
        var preview = uploaded.Headers.Location!.OriginalString;

        using var cancelled = await owner.PostFormAsync(preview + "?handler=Discard", [], await owner.TokenAsync(preview));
        using var confirmed = await owner.PostFormAsync(preview + "?handler=Apply", [], await owner.TokenAsync($"/console/{shop.Slug}/menu"));

        Assert.Equal(before, await MenuCsvTests.ExportAsync(owner, shop));
        Assert.Equal(MenuImportStatus.Discarded, await app.WithDb(shop.Shop, db => db.MenuImports.Select(i => i.Status).SingleAsync()));
    }
}
