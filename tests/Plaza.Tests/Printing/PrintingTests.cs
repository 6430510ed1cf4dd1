using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Features.Printing;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Printing;

/// <summary>
/// Kitchen tickets and receipts on network printers (<see cref="TestPrinter"/>, which decodes the ESC/POS it gets):
/// routed by category, in Chinese, cut, once each; waiting for a printer that is off or out of paper and printed once
/// when it is back, also after the node restarts.
/// </summary>
public sealed class PrintingTests
{
    private static Task<PlazaApp> StartAsync(Store store) =>
        PlazaApp.StartAsync(store, configure: a =>
        {
            a.Settings["Plaza:Printing:Ports"] = "1024-65535";
            a.Settings["Plaza:Printing:PollSeconds"] = "1";
            a.Settings["Plaza:Federation:AllowedPrivateHosts:0"] = "127.0.0.1";
        });

    /// <summary>A noodle shop in Chinese with noodles (a category for the kitchen) and drinks (one for the bar).</summary>
    private static async Task<(TestShop Shop, Item Noodles, Item Drink, Category Kitchen, Category Bar)> NoodleShopAsync(PlazaApp app)
    {
        var shop = await CreateAsync(app, s => (s.Name, s.DefaultLanguage, s.Currency, s.Address) = ("兰州拉面", "zh-Hans", "CNY", "上海市黄浦区南京东路 1 号"));
        return await app.WithDb(null, async db =>
        {
            var noodles = new Item { ShopId = shop.Shop.Id, Name = "牛肉拉面", Price = 1800, TaxCategory = "food" };
            var drink = new Item { ShopId = shop.Shop.Id, Name = "酸梅汤", Price = 600, TaxCategory = "drinks" };
            var kitchen = new Category { ShopId = shop.Shop.Id, Name = "面", Position = 1, Items = [noodles] };
            var bar = new Category { ShopId = shop.Shop.Id, Name = "饮料", Position = 2, Items = [drink] };
            db.Categories.AddRange(kitchen, bar);
            await db.SaveChangesAsync();
            return (shop, noodles, drink, kitchen, bar);
        });
    }

    private static Task<Printer> AddPrinterAsync(PlazaApp app, TestShop shop, string name, TestPrinter printer, PrinterRole role, PrintMoment on, params int[] categories) =>
        app.WithDb(null, async db =>
        {
            var row = new Printer
            {
                ShopId = shop.Shop.Id,
                Name = name,
                Host = "127.0.0.1",
                Port = printer.Port,
                PaperWidth = 58,
                Role = role,
                PrintOn = on,
                CategoryIds = [.. categories],
                CreatedAt = DateTime.UtcNow.AddMinutes(-1),
            };
            db.Add(row);
            await db.SaveChangesAsync();
            return row;
        });

    private static object NoodleOrder(TestShop shop, Item noodles, Item drink) => new
    {
        type = "dineIn",
        table = shop.Table.Code,
        items = new[] { Line(noodles.Id, 2), Line(drink.Id, 1) },
        note = "不要香菜",
    };

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Each_printer_gets_its_own_lines_in_chinese_once_cut_and_a_reprint_when_asked(Store store)
    {
        await using var kitchenPrinter = await TestPrinter.StartAsync();
        await using var barPrinter = await TestPrinter.StartAsync();
        await using var counterPrinter = await TestPrinter.StartAsync();
        await using var app = await StartAsync(store);
        var (shop, noodles, drink, kitchen, bar) = await NoodleShopAsync(app);
        await AddPrinterAsync(app, shop, "厨房", kitchenPrinter, PrinterRole.Kitchen, PrintMoment.OnAccept, kitchen.Id);
        await AddPrinterAsync(app, shop, "吧台", barPrinter, PrinterRole.Kitchen, PrintMoment.OnArrival, bar.Id);
        await AddPrinterAsync(app, shop, "收银", counterPrinter, PrinterRole.Receipt, PrintMoment.OnAccept);

        var order = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, NoodleOrder(shop, noodles, drink)));
        var id = order.GetProperty("id").GetGuid();
        var number = order.GetProperty("number").GetString()!;

        // On arrival the bar makes the drink; the kitchen waits until someone accepts.
        var drinkTicket = Assert.Single(await barPrinter.WaitForAsync(1));
        Assert.True(drinkTicket.ChineseMode && drinkTicket.Cut);
        Assert.Contains("1× 酸梅汤", drinkTicket.Lines);
        Assert.DoesNotContain("牛肉拉面", drinkTicket.Text, StringComparison.Ordinal);
        Assert.Contains(number, drinkTicket.Emphasised);
        Assert.Contains("Table 7", drinkTicket.Lines);
        Assert.Empty(kitchenPrinter.Tickets);

        using var api = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        Assert.True((await api.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "accepted", readyInMinutes = 10 })).IsSuccessStatusCode);
        var noodleTicket = Assert.Single(await kitchenPrinter.WaitForAsync(1));
        Assert.True(noodleTicket.ChineseMode && noodleTicket.Cut);
        Assert.Contains("2× 牛肉拉面", noodleTicket.Emphasised);
        Assert.Contains("备注：不要香菜", noodleTicket.Lines);
        Assert.DoesNotContain("酸梅汤", noodleTicket.Text, StringComparison.Ordinal);

        var receipt = Assert.Single(await counterPrinter.WaitForAsync(1));
        Assert.Equal("兰州拉面", receipt.Lines[0]);
        Assert.Contains(receipt.Lines, l => l.StartsWith("2× 牛肉拉面", StringComparison.Ordinal) && l.EndsWith("¥36.00", StringComparison.Ordinal));
        Assert.Contains(receipt.Lines, l => l.StartsWith("合计", StringComparison.Ordinal) && l.EndsWith("¥42.00", StringComparison.Ordinal));
        // 58 mm paper: 32 columns, a Chinese character two of them.
        Assert.All(receipt.Lines, l => Assert.True(EscPos.Width(l) <= 32, $"'{l}' is wider than 58 mm paper"));

        // Asked again (every poll, every process does): nothing more comes out.
        var worker = app.Services.GetRequiredService<PrintWorker>();
        Assert.Equal(0, await worker.OweAsync(id, CancellationToken.None));
        Assert.Equal(0, await worker.OweAsync(null, CancellationToken.None));
        await Task.Delay(1500);
        Assert.Equal((1, 1, 1), (kitchenPrinter.Tickets.Count, barPrinter.Tickets.Count, counterPrinter.Tickets.Count));

        // A ticket spilt on: staff reprint it from the board, and each printer prints it once more, marked.
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var board = $"/console/{shop.Slug}/board";
        Assert.Equal(HttpStatusCode.Redirect, (await staff.PostFormAsync($"{board}?handler=Reprint&id={id}", [], await staff.TokenAsync(board))).StatusCode);
        var again = (await kitchenPrinter.WaitForAsync(2))[1];
        Assert.Contains("** 重印 **", again.Lines);
        Assert.Contains("2× 牛肉拉面", again.Emphasised);
        await barPrinter.WaitForAsync(2);
        await counterPrinter.WaitForAsync(2);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_printer_that_is_off_prints_the_ticket_once_when_it_is_back_also_after_the_node_restarts(Store store)
    {
        await using var printer = TestPrinter.Off();
        await using var push = await TestPushService.StartAsync();
        var app = await StartAsync(store);
        try
        {
            var (shop, noodles, drink, kitchen, _) = await NoodleShopAsync(app);
            var row = await AddPrinterAsync(app, shop, "厨房", printer, PrinterRole.Kitchen, PrintMoment.OnArrival, kitchen.Id);
            // The manager's phone is set to alerts.
            using var manager = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
            var phone = push.Subscribe("manager-phone");
            var board = $"/console/{shop.Slug}/board";
            Assert.Equal(HttpStatusCode.NoContent, (await manager.PostFormAsync(board + "?handler=Push",
                new() { ["endpoint"] = phone.Endpoint, ["p256dh"] = phone.P256dh, ["auth"] = phone.Auth }, await manager.TokenAsync(board))).StatusCode);
            var order = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, NoodleOrder(shop, noodles, drink)));
            var number = order.GetProperty("number").GetString()!;

            // Nobody answers: the ticket waits, and the board says the printer is not printing.
            // (The job's try and the printer's fault are two writes: wait for the one the board shows.)
            await FakePeer.WaitUntilAsync(async () => await app.WithDb(shop.Shop, async db => await db.PrintJobs.AnyAsync(j => j.PrinterId == row.Id && j.Attempts > 0)
                    && await db.Printers.AnyAsync(p => p.Id == row.Id && p.Fault != null)),
                "the node tried the printer and noted it as not printing");
            Assert.Contains("厨房: 无法连接", await manager.Client.GetStringAsync(board), StringComparison.Ordinal);
            Assert.Contains("厨房: 无法连接", await manager.Client.GetStringAsync(board + "?handler=Printers"), StringComparison.Ordinal);
            // …and the manager's phone hears of it once, with the board closed.
            await FakePeer.WaitUntilAsync(() => push.To(phone).Any(m => m.Tag.StartsWith("printer:", StringComparison.Ordinal)), "the phone hears the printer stopped");
            Assert.Equal("打印机 厨房 无法打印", push.To(phone).Single(m => m.Tag.StartsWith("printer:", StringComparison.Ordinal)).Title);
            Assert.Empty(push.Faults);

            // The node restarts before the printer is back: the ticket is still owed, and printed once.
            app = await app.RestartAsync();
            await printer.OnAsync();
            var ticket = Assert.Single(await printer.WaitForAsync(1, seconds: 40));
            Assert.Contains(number, ticket.Emphasised);
            Assert.Contains("2× 牛肉拉面", ticket.Emphasised);
            await FakePeer.WaitUntilAsync(async () => await app.WithDb(shop.Shop, db => db.Printers.AnyAsync(p => p.Id == row.Id && p.Fault == null)),
                "the printer shows as ready again");
            await Task.Delay(2500);
            Assert.Single(printer.Tickets);

            // Out of paper: the printer says so when asked, nothing is lost, and the ticket comes out once paper is in.
            printer.PaperOut = true;
            var second = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, NoodleOrder(shop, noodles, drink)));
            await FakePeer.WaitUntilAsync(async () => await app.WithDb(shop.Shop, db => db.Printers.AnyAsync(p => p.Id == row.Id && p.Fault == "out of paper")),
                "the printer reports it is out of paper");
            printer.PaperOut = false;
            var tickets = await printer.WaitForAsync(2, seconds: 40);
            Assert.Contains(second.GetProperty("number").GetString()!, tickets[1].Emphasised);
            await Task.Delay(2500);
            Assert.Equal(2, printer.Tickets.Count);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_a_printer_staff_print_the_ticket_and_the_receipt_from_the_browser()
    {
        await using var app = await StartAsync(Store.Sqlite);
        var (shop, noodles, drink, _, _) = await NoodleShopAsync(app);
        var other = await CreateAsync(app);
        var id = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, NoodleOrder(shop, noodles, drink)))).GetProperty("id").GetGuid();
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var paper = $"/console/{shop.Slug}/orders/{id}/paper";

        var ticket = await staff.Client.GetStringAsync($"{paper}?kind=ticket");
        Assert.Contains("牛肉拉面", ticket, StringComparison.Ordinal);
        Assert.Contains("备注：不要香菜", ticket, StringComparison.Ordinal);
        Assert.Contains("print-roll.css", ticket, StringComparison.Ordinal);
        Assert.DoesNotContain("合计", ticket, StringComparison.Ordinal);
        var receipt = await staff.Client.GetStringAsync($"{paper}?kind=receipt");
        Assert.Contains("兰州拉面", receipt, StringComparison.Ordinal);
        Assert.Contains("合计", receipt, StringComparison.Ordinal);
        Assert.Contains("42.00", receipt, StringComparison.Ordinal);
        // The board links both from the order's card.
        Assert.Contains($"{paper}?kind=receipt", await staff.Client.GetStringAsync($"/console/{shop.Slug}/board"), StringComparison.Ordinal);

        // Staff of another shop get nothing of it, under their own shop's address either.
        using var stranger = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (other, ShopRole.Staff));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/console/{other.Slug}/orders/{id}/paper")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await stranger.Client.GetAsync(paper)).StatusCode);
    }

    [Fact]
    public async Task The_printers_page_adds_a_printer_on_the_shops_network_and_refuses_other_ports()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var (shop, _, _, kitchen, _) = await NoodleShopAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/printers";
        Dictionary<string, string> Form(string host, string port) => new()
        {
            ["Input.Name"] = "厨房",
            ["Input.Host"] = host,
            ["Input.Port"] = port,
            ["Input.PaperWidth"] = "80",
            ["Input.Role"] = "Kitchen",
            ["Input.PrintOn"] = "OnAccept",
            ["Input.CategoryIds"] = kitchen.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        // A shop's owner may not make the node talk to another service on its network (port 22, 5432…).
        var refused = await owner.PostFormAsync($"{page}?handler=Add", Form("192.168.1.50", "22"), await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("9100-9109", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badHost = await owner.PostFormAsync($"{page}?handler=Add", Form("http://printer/", "9100"), await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.BadRequest, badHost.StatusCode);
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Printers.CountAsync()));

        // Full-width digits from a Chinese keyboard are the same address.
        var added = await owner.PostFormAsync($"{page}?handler=Add", Form("１９２.１６８.１.５０", "９１００"), await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var printer = await app.WithDb(shop.Shop, db => db.Printers.SingleAsync());
        Assert.Equal(("192.168.1.50", 9100, PrinterRole.Kitchen), (printer.Host, printer.Port, printer.Role));
        Assert.Equal([kitchen.Id], printer.CategoryIds);
        Assert.Contains("192.168.1.50:9100", await owner.Client.GetStringAsync(page), StringComparison.Ordinal);
    }
}
