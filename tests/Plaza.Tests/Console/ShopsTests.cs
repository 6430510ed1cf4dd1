using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Console;

/// <summary>An owner opens a sideline from the console, under the same sign-in.</summary>
public sealed class ShopsTests
{
    private static Dictionary<string, string> Form(string slug, string name = "面馆 Noodle Bar", string currency = "CNY", string zone = "Asia/Shanghai") => new()
    {
        ["Form.Name"] = name,
        ["Form.Slug"] = slug,
        ["Form.Currency"] = currency,
        ["Form.TimeZone"] = zone,
        ["Form.Language"] = "zh-Hans",
    };

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_opens_a_second_shop_and_runs_both_with_one_sign_in(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/shops";

        var opened = await owner.PostFormAsync(page, Form("noodle-bar"), await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/console/noodle-bar/settings", opened.Headers.Location?.OriginalString);
        var created = await app.WithDb(null, db => db.Shops.Include(s => s.TaxRates).SingleAsync(s => s.Slug == "noodle-bar"));
        Assert.Equal(("面馆 Noodle Bar", "CNY", "Asia/Shanghai", "zh-Hans"), (created.Name, created.Currency, created.TimeZone, created.DefaultLanguage));
        Assert.True(Assert.Single(created.TaxRates).IsDefault);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/console/noodle-bar/tables")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/console/{shop.Slug}/board")).StatusCode);
        var list = await owner.Client.GetStringAsync(page);
        Assert.Contains("/console/noodle-bar/board", list, StringComparison.Ordinal);
        Assert.Contains("面馆 Noodle Bar", await app.CreateClient().GetStringAsync("/s/noodle-bar"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Noodle Bar", "CNY", "Asia/Shanghai")]
    [InlineData("shops", "CNY", "Asia/Shanghai")]
    [InlineData("taken", "CNY", "Asia/Shanghai")]
    [InlineData("fine-slug", "RMB", "Asia/Shanghai")]
    [InlineData("fine-slug", "CNY", "China/Beijing")]
    public async Task A_bad_or_taken_address_currency_or_zone_is_refused_and_opens_nothing(string slug, string currency, string zone)
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app, s => s.Slug = "taken");
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/shops";
        var before = await app.WithDb(null, async db => (await db.Shops.CountAsync(), await db.Memberships.IgnoreQueryFilters().CountAsync()));

        var refused = await owner.PostFormAsync(page, Form(slug, currency: currency, zone: zone), await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("field-error\">", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.WithDb(null, async db => (await db.Shops.CountAsync(), await db.Memberships.IgnoreQueryFilters().CountAsync())));
    }
}
