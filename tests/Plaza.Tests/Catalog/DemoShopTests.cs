using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Catalog;

/// <summary>The demo shop, with its known owner e-mail and a live staff token, exists only where it is asked for.</summary>
public sealed class DemoShopTests
{
    private static HttpClient ClientOf(NodeProcess node) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = node.BaseAddress };

    [Fact]
    public async Task A_published_node_in_Production_seeds_no_demo_shop_unless_asked()
    {
        await using var node = NodeProcess.Create(Store.Sqlite);
        node.Settings.Remove(DemoShop.Setting);
        await node.StartAsync();
        using var client = ClientOf(node);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/s/demo")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/shops/demo/menu")).StatusCode);
        Assert.DoesNotContain("password", node.Log, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(node.DataDir, DemoShop.LoginFile)));
        await using var db = node.OpenStore();
        Assert.False(await db.Accounts.AnyAsync(a => a.Email == DemoShop.OwnerEmail));
    }

    [Fact]
    public async Task A_Production_node_asked_for_the_demo_seeds_it_and_leaves_its_login_in_a_private_file_not_the_log()
    {
        await using var node = NodeProcess.Create(Store.Sqlite);
        Assert.Equal("true", node.Settings[DemoShop.Setting]);
        await node.StartAsync();
        using var client = ClientOf(node);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/s/demo")).StatusCode);
        var file = Path.Combine(node.DataDir, DemoShop.LoginFile);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        var login = (await File.ReadAllLinesAsync(file)).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
        var (password, token) = (login["Password"], login["Staff API token"]);
        Assert.Equal(DemoShop.OwnerEmail, login["E-mail"]);
        Assert.DoesNotContain(password, node.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(token, node.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("with password", node.Log, StringComparison.Ordinal);
        Assert.Contains(file, node.Log, StringComparison.Ordinal);

        // What the file says works: the owner signs in, and the (staff-scope) token is let through to move
        // orders: an order it names that does not exist is 404, where a wrong token is 401.
        using var owner = new ConsoleSession(client);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync(DemoShop.OwnerEmail, password)).StatusCode);
        foreach (var (bearer, expected) in new[] { (token, HttpStatusCode.NotFound), ("not-a-token", HttpStatusCode.Unauthorized) })
        {
            using var move = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/shops/demo/orders/{Guid.NewGuid()}/status")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { status = "accepted" }),
            };
            move.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            Assert.Equal(expected, (await client.SendAsync(move)).StatusCode);
        }
    }

    [Fact]
    public async Task A_Development_node_as_dotnet_run_starts_it_seeds_the_demo_shop_and_logs_its_login()
    {
        await using var node = NodeProcess.Create(Store.Sqlite);
        node.HostEnvironment = "Development";
        node.Settings.Remove(DemoShop.Setting);
        await node.StartAsync();
        using var client = ClientOf(node);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/s/demo")).StatusCode);
        Assert.Contains($"sign in as {DemoShop.OwnerEmail} with password ", node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plaza_Demo_false_turns_the_demo_off_even_in_Development()
    {
        await using var node = NodeProcess.Create(Store.Sqlite);
        node.HostEnvironment = "Development";
        node.Settings[DemoShop.Setting] = "false";
        await node.StartAsync();
        using var client = ClientOf(node);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/s/demo")).StatusCode);
    }

    [Fact]
    public async Task The_demo_has_a_Chinese_noodle_bar_beside_the_cafe_and_each_menu_in_the_other_language_too()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        using var browser = app.CreateClient(); // asks for no language: each shop speaks its own
        using var chinese = app.CreateClient();
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        using var english = app.CreateClient();
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-GB");

        var noodles = await browser.GetStringAsync($"/s/{DemoNoodleBar.Slug}");
        Assert.Contains("<html lang=\"zh-Hans\"", noodles, StringComparison.Ordinal);
        Assert.Contains("牛肉拉面", noodles, StringComparison.Ordinal);
        Assert.Contains("¥18.00", noodles, StringComparison.Ordinal);
        Assert.Contains("Lanzhou beef noodles", await english.GetStringAsync($"/s/{DemoNoodleBar.Slug}"), StringComparison.Ordinal);
        Assert.Contains("3号桌", await browser.GetStringAsync($"/s/{DemoNoodleBar.Slug}/t/3"), StringComparison.Ordinal);
        var cafe = await chinese.GetStringAsync("/s/demo");
        Assert.Contains("馥芮白", cafe, StringComparison.Ordinal);
        Assert.Contains("杯型", cafe, StringComparison.Ordinal);
        // One login owns both: the demo owner's console lists the two shops.
        var shops = await app.WithDb(null, db => db.Memberships.IgnoreQueryFilters()
            .Where(m => db.Accounts.Any(a => a.Id == m.AccountId && a.Email == DemoShop.OwnerEmail))
            .Join(db.Shops, m => m.ShopId, s => s.Id, (_, s) => s.Slug).OrderBy(s => s).ToListAsync());
        Assert.Equal(["demo", DemoNoodleBar.Slug], shops);
    }
}
