using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>
/// What an owner prints, printed by Chromium to PDF and read back by a QR reader: the A4 door poster (the
/// store code, or a named channel's), A6 table tents, one per table, and a code downloaded as an SVG file.
/// </summary>
public sealed class PrintablesTests
{
    private const string Password = "a long owner password";

    [Fact]
    public async Task The_door_poster_and_the_table_tents_print_at_their_paper_size_and_every_code_on_them_reads_as_its_link()
    {
        await using var node = await BrowserNode.StartAsync(publicUrl: true);
        await node.AddDemoOwnerAsync("owner@example.com", Password);
        var origin = node.BaseAddress.ToString().TrimEnd('/');
        var owner = await node.SignInAsync("owner@example.com", Password);

        // A channel for the poster on the door, so the owner sees what it brings.
        await owner.GotoAsync("/console/demo/channels");
        await owner.GetByLabel("Name").FillAsync("Door poster");
        await owner.Locator("#add-channel button[type=submit]").ClickAsync();
        await owner.Locator("#channel-door-poster").GetByRole(AriaRole.Link, new() { Name = "Poster", Exact = true }).ClickAsync();
        await owner.WaitForURLAsync("**/console/demo/poster?channel=door-poster");
        await Expect(owner.Locator(".poster h1")).ToHaveTextAsync("Plaza Demo Café");
        await Expect(owner.Locator(".poster .cta")).ToHaveTextAsync("Scan to order");
        // The demo shop is open around the clock, every day: one line for the week.
        await Expect(owner.Locator(".poster .hours dt").First).ToHaveTextAsync("Mon–Sun");
        await BrowserNode.ScreenshotAsync(owner, "door-poster");
        var poster = await BrowserNode.PrintAsync(owner);
        Assert.Equal([(210, 297)], poster.SizesMm);
        Assert.Equal($"{origin}/s/demo/c/door-poster", QrDecoder.Decode(poster.Pages[0]));

        // The store's own poster, in Chinese: one page, the store code.
        await owner.GotoAsync("/console/demo/poster?language=zh-Hans");
        await Expect(owner.Locator(".poster .cta")).ToHaveTextAsync("扫码点餐");
        var storePoster = await BrowserNode.PrintAsync(owner);
        Assert.Equal([(210, 297)], storePoster.SizesMm);
        Assert.Equal($"{origin}/s/demo/c/store", QrDecoder.Decode(storePoster.Pages[0]));

        // Table tents: a page of A6 per table, each with its own table's code.
        await owner.GotoAsync("/console/demo/tables");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Print table tents" }).ClickAsync();
        await owner.WaitForURLAsync("**/console/demo/tables/tents");
        var codes = await owner.Locator(".tent").EvaluateAllAsync<string[]>("tents => tents.map(t => t.dataset.code)");
        Assert.True(codes.Length >= 8, $"The demo shop has {codes.Length} tables.");
        var tents = await BrowserNode.PrintAsync(owner);
        Assert.Equal(codes.Length, tents.Pages.Count);
        Assert.All(tents.SizesMm, size => Assert.Equal((105, 148), size));
        Assert.Equal(codes.Select(c => $"{origin}/s/demo/t/{c}"), tents.Pages.Select(QrDecoder.Decode));

        // One table's tent again, on its own.
        await owner.GotoAsync("/console/demo/tables/tents?table=3");
        var one = await BrowserNode.PrintAsync(owner);
        Assert.Equal($"{origin}/s/demo/t/3", QrDecoder.Decode(Assert.Single(one.Pages)));
    }

    [Fact]
    public async Task A_code_downloaded_as_an_SVG_file_reads_as_its_link_when_opened_on_its_own()
    {
        await using var node = await BrowserNode.StartAsync(publicUrl: true);
        await node.AddDemoOwnerAsync("owner@example.com", Password);
        var owner = await node.SignInAsync("owner@example.com", Password);
        await owner.GotoAsync("/console/demo/tables");

        var card = owner.Locator(".table-card[data-code='3']");
        var download = await owner.RunAndWaitForDownloadAsync(() => card.GetByRole(AriaRole.Link, new() { Name = "SVG", Exact = true }).ClickAsync());
        Assert.Equal("demo-table-3.svg", download.SuggestedFilename);
        var file = Path.Combine(Directory.CreateTempSubdirectory("plaza-svg-").FullName, download.SuggestedFilename);
        try
        {
            await download.SaveAsAsync(file);
            // Opened from disk, as the owner would before sending it to a print shop: nothing of the node around it.
            var viewer = await node.NewPageAsync();
            await viewer.SetViewportSizeAsync(600, 600);
            await viewer.GotoAsync(new Uri(file).AbsoluteUri);
            var picture = await viewer.ScreenshotAsync();
            Assert.Equal($"{node.BaseAddress.ToString().TrimEnd('/')}/s/demo/t/3", QrDecoder.Decode(picture));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
