using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Plaza.Features.Ordering;

namespace Plaza.Browser.Tests;

/// <summary>
/// The real node on Kestrel at a loopback port with a SQLite file of its own, and Debian's
/// Chromium driven by Playwright (its own browser download is not used).
/// </summary>
public sealed class BrowserNode : IAsyncDisposable
{
    private readonly PlazaApp app;
    private IPlaywright? playwright;

    private readonly string host;

    private BrowserNode(PlazaApp app, string host) => (this.app, this.host) = (app, host);

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where pages open: the address the node listens at, by the name <see cref="StartAsync"/> was given for it.</summary>
    public Uri BaseAddress => new UriBuilder(app.BaseAddress) { Host = host }.Uri;

    public IServiceProvider Services => app.Services;

    /// <summary>
    /// Starts the node and the browser. With <paramref name="publicUrl"/> the node knows the address it
    /// listens at as <c>Plaza:PublicUrl</c>, so the codes it prints lead back to it; otherwise it is unset.
    /// <paramref name="host"/> names the loopback address in that URL and in the pages' address: <c>localhost</c> where
    /// the pages use passkeys, whose relying party must be a domain, never an IP address.
    /// </summary>
    public static async Task<BrowserNode> StartAsync(bool publicUrl = false, Action<PlazaApp>? configure = null, string host = "127.0.0.1")
    {
        Task<PlazaApp> Start(int port) => PlazaApp.StartAsync(Store.Sqlite, configure: app =>
        {
            app.ListenOn("127.0.0.1", port);
            app.Settings["Plaza:RateLimits:OrdersPerMinute"] = "1000";
            app.Settings.Remove("Plaza:RateLimits:SignInsPerMinute");
            app.Settings["Plaza:PublicUrl"] = publicUrl ? $"http://{host}:{port}" : null;
            configure?.Invoke(app);
        });
        // Without a public address the node binds port 0; with one, it must know its port first.
        var node = new BrowserNode(publicUrl ? await FreePort.BindAsync(Start) : await Start(0), host);
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
        // A navigation that ends in a server-side write (a new shop, an import) can outlast Playwright's 30 s on a loaded
        // two-core machine; what these tests check is where it lands, not how fast, so navigations get a minute.
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Works in the demo shop's scope with the node's own services and store (what the shop did off screen).</summary>
    public async Task<T> InDemoShopAsync<T>(Func<IServiceProvider, Plaza.Data.PlazaDb, Plaza.Features.Catalog.Shop, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Plaza.Data.PlazaDb>();
        var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Slug == "demo");
        scope.ServiceProvider.GetRequiredService<Plaza.Common.ShopScope>().Enter(shop);
        return await work(scope.ServiceProvider, db, shop);
    }

    /// <summary>An account that owns the demo shop, as an invitation would make one.</summary>
    public async Task AddDemoOwnerAsync(string email, string password)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Plaza.Data.PlazaDb>();
        var shop = db.Shops.Single(s => s.Slug == "demo");
        scope.ServiceProvider.GetRequiredService<Plaza.Common.ShopScope>().Enter(shop);
        var account = await scope.ServiceProvider.GetRequiredService<Plaza.Features.Console.Accounts>().CreateAsync(email, "Owner", password, CancellationToken.None);
        db.Memberships.Add(new Plaza.Features.Console.Membership { AccountId = account.Id, ShopId = shop.Id, Role = Plaza.Features.Console.ShopRole.Owner });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A console page signed in as <paramref name="email"/> (an owner of the demo shop lands on its board), on a
    /// tablet-sized window.
    /// </summary>
    public async Task<IPage> SignInAsync(string email, string password, string? locale = null)
    {
        var page = await NewPageAsync(locale);
        await page.SetViewportSizeAsync(1024, 768);
        await page.GotoAsync("/console");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(password);
        await page.Locator("form button[type=submit]").ClickAsync();
        try
        {
            await page.WaitForURLAsync("**/console/*/board");
        }
        catch (TimeoutException e)
        {
            // Say where the browser ended up, and what that page says, so a failed sign-in explains itself.
            var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5000 });
            throw new TimeoutException($"Signing in did not reach the board; the page is {page.Url}: {text[..Math.Min(text.Length, 400)]}", e);
        }
        return page;
    }

    /// <summary>
    /// Prints the page as Chromium's print to PDF does, page size from its stylesheet's <c>@page</c>, and turns
    /// each printed page into a picture at 150 dpi (poppler's <c>pdftoppm</c>), as a phone would see the paper.
    /// </summary>
    public static async Task<Printed> PrintAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)");
        var folder = Directory.CreateTempSubdirectory("plaza-print-");
        try
        {
            var pdf = Path.Combine(folder.FullName, "printed.pdf");
            await page.PdfAsync(new() { Path = pdf, PreferCSSPageSize = true, PrintBackground = true });
            var sizes = PageSizes(await RunAsync("pdfinfo", "-f", "1", "-l", "999", pdf));
            await RunAsync("pdftoppm", "-r", "150", "-png", pdf, Path.Combine(folder.FullName, "page"));
            var pictures = Directory.GetFiles(folder.FullName, "page*.png").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
            return new Printed(sizes, pictures);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>What came out of the printer: each page's size in millimetres and its picture (PNG).</summary>
    public sealed record Printed(IReadOnlyList<(int Width, int Height)> SizesMm, IReadOnlyList<byte[]> Pages);

    /// <summary>Page sizes from <c>pdfinfo -f 1 -l N</c>'s "Page 1 size: 595.92 x 842.88 pts" lines, rounded to millimetres.</summary>
    private static List<(int, int)> PageSizes(string info) =>
        [.. System.Text.RegularExpressions.Regex.Matches(info, @"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts")
            .Select(m => (Mm(m.Groups[1].Value), Mm(m.Groups[2].Value)))];

    private static int Mm(string points) => (int)Math.Round(double.Parse(points, System.Globalization.CultureInfo.InvariantCulture) * 25.4 / 72);

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
        return await output;
    }

    /// <summary>A staff token for a shop on this node, as the owner would create one.</summary>
    public Task<string> StaffTokenAsync(string slug) => app.IssueTokenAsync(slug, "browser-test", TokenScope.Staff);

    /// <summary>
    /// The demo owner's generated password. Outside Development (this node runs as Testing) the store's first start
    /// (the template's, copied with it) writes it to <c>demo-login.txt</c> in the data directory instead of the log.
    /// </summary>
    public async Task<string> DemoOwnerPasswordAsync()
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(app.DataDir, Plaza.Features.Catalog.DemoShop.LoginFile));
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

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        await app.DisposeAsync();
    }
}
