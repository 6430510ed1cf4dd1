using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Browser.Tests;

/// <summary>
/// The real node on Kestrel at a loopback port with a SQLite file of its own, and Debian's
/// Chromium driven by Playwright (its own browser download is not used).
/// </summary>
public sealed class BrowserNode : WebApplicationFactory<Program>
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "plaza-browser", Guid.NewGuid().ToString("N"));
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<BrowserNode> StartAsync()
    {
        var node = new BrowserNode();
        node.UseKestrel(0);
        node.StartServer();
        var address = node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        node.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        node.playwright = await Playwright.CreateAsync();
        node.Browser = await node.playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PLAZA_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            // No network but loopback here: keep Chromium from reaching out on its own.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return node;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(dataDir);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Plaza:DataDir", dataDir);
        builder.UseSetting("Plaza:Demo", "true");
        builder.UseSetting("Plaza:RateLimits:OrdersPerMinute", "1000");
        builder.UseUrls("http://127.0.0.1:0");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Plaza.Demo", LogLevel.None));
    }

    public async Task<IPage> NewPageAsync(string? locale = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            Locale = locale ?? "en-GB",
            ViewportSize = new() { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        return await context.NewPageAsync();
    }

    /// <summary>A staff token for a shop on this node, as the owner would create one.</summary>
    public async Task<string> StaffTokenAsync(string slug)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var shop = await db.Shops.SingleAsync(s => s.Slug == slug);
        scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
        return await StaffToken.IssueAsync(db, shop.Id, "browser-test", TokenScope.Staff, TimeProvider.System, CancellationToken.None);
    }

    /// <summary>
    /// The demo owner's generated password. Outside Development (this node runs as Testing) the first start
    /// writes it to <c>demo-login.txt</c> in the data directory instead of the log.
    /// </summary>
    public async Task<string> DemoOwnerPasswordAsync()
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(dataDir, Plaza.Features.Catalog.DemoShop.LoginFile));
        return lines.Single(l => l.StartsWith("Password: ", StringComparison.Ordinal))["Password: ".Length..];
    }

    /// <summary>
    /// Saves a screenshot when PLAZA_SCREENSHOTS names a folder (for reviewing the UI); otherwise does nothing.
    /// The whole page unless <paramref name="fullPage"/> is false (then what the screen shows, a smaller file).
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        if (Environment.GetEnvironmentVariable("PLAZA_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = fullPage });
        }
    }

    public HttpClient Api(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}
