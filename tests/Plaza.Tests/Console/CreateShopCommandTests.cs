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

    [Theory]
    [InlineData("node")]
    [InlineData("sign-in")]
    public async Task A_slug_that_names_a_console_page_is_refused(string slug)
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CreateShopCommand.RunAsync(app.Services, ["--slug", slug, "--owner-email", "x@example.com"], output, error);

        Assert.Equal(2, exit);
        Assert.Contains($"/console/{slug}", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDb(null, db => db.Shops.CountAsync())); // only the demo shop
    }

    [Fact]
    public async Task Bad_arguments_print_usage_and_create_nothing()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CreateShopCommand.RunAsync(app.Services, ["--slug", "Not A Slug", "--owner-email", "x@example.com"], output, error);

        Assert.Equal(2, exit);
        Assert.Contains("usage: create-shop", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDb(null, db => db.Shops.CountAsync())); // only the demo shop
    }
}
