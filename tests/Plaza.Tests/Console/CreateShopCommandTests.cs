using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Console;

public sealed class CreateShopCommandTests
{
    [Fact]
    public async Task A_headless_operator_creates_a_shop_whose_owner_can_sign_in()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CreateShopCommand.RunAsync(app.Services, ["--slug", "corner-bakery", "--name", "Corner Bakery", "--owner-email", "Baker@Example.com", "--currency", "CNY", "--time-zone", "Asia/Shanghai"], output, error);

        Assert.Equal(0, exit);
        Assert.Equal("", error.ToString());
        var password = System.Text.RegularExpressions.Regex.Match(output.ToString(), "one-time password: (\\S+)").Groups[1].Value;
        using var owner = ConsoleSession.Anonymous(app);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync("baker@example.com", password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/console/corner-bakery/settings")).StatusCode);
        var shop = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == "corner-bakery"));
        Assert.Equal(("CNY", "Asia/Shanghai"), (shop.Currency, shop.TimeZone));
    }

    [Fact]
    public async Task A_shop_made_for_Chinese_customers_speaks_Chinese_from_its_first_page()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CreateShopCommand.RunAsync(app.Services,
            ["--slug", "lanzhou", "--name", "兰州拉面", "--owner-email", "mian@example.com", "--currency", "CNY", "--time-zone", "Asia/Shanghai", "--language", "zh-CN"], output, error);

        Assert.Equal(0, exit);
        var shop = await app.WithDb(null, db => db.Shops.Include(s => s.TaxRates).SingleAsync(s => s.Slug == "lanzhou"));
        Assert.Equal("zh-Hans", shop.DefaultLanguage);
        Assert.Equal("标准", Assert.Single(shop.TaxRates).Name);
        // A phone that asks for no language we ship gets the shop's: Chinese.
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR");
        Assert.Contains("<html lang=\"zh-Hans\"", await client.GetStringAsync("/s/lanzhou"), StringComparison.Ordinal);

        Assert.Equal(2, await CreateShopCommand.RunAsync(app.Services, ["--slug", "other", "--owner-email", "o@example.com", "--language", "klingon"], output, error));
        Assert.False(await app.WithDb(null, db => db.Shops.AnyAsync(s => s.Slug == "other")));
    }

    [Theory]
    [InlineData("node")]
    [InlineData("sign-in")]
    public async Task A_slug_that_names_a_console_page_is_refused(string slug)
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var shops = await app.WithDb(null, db => db.Shops.CountAsync()); // the demo shops

        var exit = await CreateShopCommand.RunAsync(app.Services, ["--slug", slug, "--owner-email", "x@example.com"], output, error);

        Assert.Equal(2, exit);
        Assert.Contains($"/console/{slug}", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(shops, await app.WithDb(null, db => db.Shops.CountAsync()));
    }

    [Fact]
    public async Task Bad_arguments_print_usage_and_create_nothing()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var shops = await app.WithDb(null, db => db.Shops.CountAsync()); // the demo shops

        var exit = await CreateShopCommand.RunAsync(app.Services, ["--slug", "Not A Slug", "--owner-email", "x@example.com"], output, error);

        Assert.Equal(2, exit);
        Assert.Contains("usage: create-shop", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(shops, await app.WithDb(null, db => db.Shops.CountAsync()));
    }
}
