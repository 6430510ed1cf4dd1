using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>An exported menu is opened in spreadsheet programs: no cell may run as a formula there, and the file still imports unchanged.</summary>
public sealed class MenuCsvTests
{
    private static readonly string[] Formulas = ["=HYPERLINK(\"http://x\")", "@SUM(1)", "\t=1", "-2+3", "+1", "\r=1", "'=already marked"];

    private static bool RunsAsFormula(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    internal static async Task<string> ExportAsync(ConsoleSession owner, TestShop shop) =>
        await owner.Client.GetStringAsync($"/console/{shop.Slug}/menu?handler=Export");

    /// <summary>Uploads a file as the menu page does; the preview it leads to, or the menu page when the file was refused.</summary>
    internal static async Task<HttpResponseMessage> UploadAsync(ConsoleSession owner, TestShop shop, byte[] file, string name = "menu.csv")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await owner.TokenAsync($"/console/{shop.Slug}/menu")), "__RequestVerificationToken" },
            { new ByteArrayContent(file), "file", name },
        };
        return await owner.Client.PostAsync($"/console/{shop.Slug}/menu?handler=Import", form);
    }

    /// <summary>Uploads the file and confirms its preview, as an owner who agrees with it would.</summary>
    internal static async Task<HttpResponseMessage> ImportAsync(ConsoleSession owner, TestShop shop, string csv)
    {
        var uploaded = await UploadAsync(owner, shop, System.Text.Encoding.UTF8.GetBytes(csv));
        if (uploaded.Headers.Location?.OriginalString is not { } preview || !preview.Contains("/menu/import/", StringComparison.Ordinal))
        {
            return uploaded;
        }
        uploaded.Dispose();
        return await owner.PostFormAsync(preview + "?handler=Apply", [], await owner.TokenAsync(preview));
    }

    [Fact]
    public async Task Every_cell_that_a_spreadsheet_would_run_as_a_formula_is_exported_as_text()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        await app.WithDb(shop.Shop, async db =>
        {
            foreach (var (name, i) in Formulas.Select((n, i) => (n, i)))
            {
                db.Items.Add(new Item { ShopId = shop.Shop.Id, CategoryId = shop.Cake.CategoryId, Name = name, Description = "=1+1", Tags = "@tag", Price = 100 + i, TaxCategory = "food", Position = 10 + i });
            }
            var category = await db.Categories.SingleAsync();
            category.Name = "=cmd|' /C calc'!A0";
            return await db.SaveChangesAsync();
        });
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));

        var csv = await ExportAsync(owner, shop);

        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", csv, StringComparison.Ordinal);
        Assert.Contains(",'@SUM(1),", csv, StringComparison.Ordinal);
        Assert.Contains(",'\t=1,", csv, StringComparison.Ordinal);
        Assert.Contains(",''=already marked,", csv, StringComparison.Ordinal);
        var cells = MenuCsv.Parse(csv.TrimStart('\uFEFF')).SelectMany(r => r).ToList();
        Assert.Contains("'=1+1", cells);
        Assert.Contains("'=cmd|' /C calc'!A0", cells);
        Assert.DoesNotContain(cells, RunsAsFormula);
    }

    [Fact]
    public async Task An_exported_menu_with_formula_like_names_imports_back_unchanged()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var empty = await CreateAsync(app);
        await app.WithDb(empty.Shop, db => db.Items.ExecuteDeleteAsync());
        // Names and descriptions as the item editor stores them (trimmed); a discount option below zero.
        string[] names = ["=HYPERLINK(\"http://x\")", "@SUM(1)", "-2 for one", "+1 shot", "'=already marked", "'quoted", "Plain"];
        await app.WithDb(shop.Shop, async db =>
        {
            await db.Items.ExecuteDeleteAsync();
            foreach (var (name, i) in names.Select((n, i) => (n, i)))
            {
                db.Items.Add(new Item
                {
                    ShopId = shop.Shop.Id,
                    CategoryId = shop.Cake.CategoryId,
                    Name = name,
                    Description = "-" + name,
                    Price = 250 + i,
                    TaxCategory = "food",
                    Position = i,
                    OptionGroups =
                    [
                        new OptionGroup
                        {
                            ShopId = shop.Shop.Id,
                            Name = "-Size",
                            MinSelect = 1,
                            MaxSelect = 1,
                            Options = [new() { ShopId = shop.Shop.Id, Name = "Small", PriceDelta = -50 }, new() { ShopId = shop.Shop.Id, Name = "=Large", PriceDelta = 60, Position = 1 }],
                        },
                    ],
                });
            }
            return await db.SaveChangesAsync();
        });
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner), (empty, ShopRole.Owner));
        var csv = await ExportAsync(owner, shop);

        var imported = await ImportAsync(owner, empty, csv);

        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        var menu = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/shops/{empty.Slug}/menu");
        var items = menu.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(names, items.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(names.Select(n => "-" + n), items.Select(i => i.GetProperty("description").GetString()));
        Assert.Equal(names.Select((_, i) => 250L + i), items.Select(i => i.GetProperty("price").GetProperty("amount").GetInt64()));
        var group = items[0].GetProperty("optionGroups")[0];
        Assert.Equal("-Size", group.GetProperty("name").GetString());
        Assert.Equal([("Small", -50L), ("=Large", 60L)], group.GetProperty("options").EnumerateArray()
            .Select(o => (o.GetProperty("name").GetString(), o.GetProperty("priceDelta").GetProperty("amount").GetInt64())));
        // And the import's file, exported again, is the same file.
        Assert.Equal(csv, await ExportAsync(owner, empty));
    }

    [Fact]
    public void Marking_never_leaves_a_formula_and_unmarking_gives_back_any_text() =>
        Gen.String.Sample(text =>
        {
            var marked = MenuCsv.MarkFormula(text);
            return !RunsAsFormula(marked) && MenuCsv.UnmarkFormula(marked) == text;
        }, iter: 5000);
}
