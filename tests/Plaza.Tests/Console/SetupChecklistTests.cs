using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Console;

/// <summary>The board tells a new shop's owner what is missing before it can open, and stops once nothing is.</summary>
public sealed class SetupChecklistTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_new_shop_is_told_what_is_missing_and_each_step_leaves_the_list_when_done(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var made = await app.WithDb(null, async db =>
        {
            var shop = NewShop.Build("fresh", "Fresh", "EUR", "Europe/Berlin", "en");
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
            return shop;
        });
        var shop = new TestShop(made, null!, null!, null!, null!, null!, null!, null!, null!, null!);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        using var staff = await ConsoleSession.SignedInAsync(app, "staff@example.com", (shop, ShopRole.Staff));

        var board = await owner.Client.GetStringAsync("/console/fresh/board");

        Assert.Contains("Before you open: 2 of 5 done", board, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/fresh/taxes\"", board, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/fresh/menu\"", board, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/fresh/tables\"", board, StringComparison.Ordinal);
        Assert.DoesNotContain("setup-checklist", await staff.Client.GetStringAsync("/console/fresh/board"), StringComparison.Ordinal);

        await app.WithDb(null, async db =>
        {
            db.Tables.Add(new ShopTable { ShopId = made.Id, Code = "1", Name = "Table 1" });
            db.Categories.Add(new Category { ShopId = made.Id, Name = "Bread", Items = [new Item { ShopId = made.Id, Name = "Rye", Price = 300, TaxCategory = "food" }] });
            await db.Set<TaxRate>().Where(r => r.ShopId == made.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.BasisPoints, 700));
            return await db.SaveChangesAsync();
        });

        Assert.DoesNotContain("setup-checklist", await owner.Client.GetStringAsync("/console/fresh/board"), StringComparison.Ordinal);
    }
}
