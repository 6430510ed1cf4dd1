using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Plaza.Features.Campaigns;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>
/// A campaign from end to end, in the browser and a real mail server: the owner builds a "lapsed" segment and watches
/// its size as they type, sends it a coupon with a 20 % hold-out, members read their e-mail and order with their own
/// codes, and the results page shows both groups and the lift with its interval as a chart and a table.
/// </summary>
public sealed partial class CampaignInTheBrowserTests
{
    private const string Password = "a long owner password";
    private static readonly string[] ToCompleted = ["accepted", "ready", "completed"];

    [Fact]
    public async Task The_owner_sends_a_lapsed_segment_a_coupon_with_a_holdout_members_order_with_their_codes_and_the_results_show_the_lift()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var node = await BrowserNode.StartAsync(publicUrl: true, configure: app => mail.Configure(app.Settings), host: "localhost");
        await node.AddDemoOwnerAsync("owner@example.com", Password);
        // Ten members who agreed to offers last ordered 45 days ago; two others ordered last week.
        var lapsed = await node.InDemoShopAsync(async (_, db, shop) =>
        {
            db.Coupons.Add(new Plaza.Features.Loyalty.Coupon { ShopId = shop.Id, Name = "Cake on us", Kind = Plaza.Features.Loyalty.CouponKind.AmountOff, Value = 200, CreatedAt = DateTime.UtcNow });
            var ids = new List<long>();
            for (var i = 0; i < 12; i++)
            {
                var member = new Plaza.Features.Members.Member
                {
                    ShopId = shop.Id,
                    Email = $"guest{i}@example.com",
                    Language = "en",
                    SecurityStamp = Plaza.Features.Members.Member.NewStamp(),
                    JoinedAt = DateTime.UtcNow.AddDays(-100),
                    MarketingConsentAt = DateTime.UtcNow.AddDays(-100),
                    MarketingConsentText = "Offers from the shop",
                };
                db.Members.Add(member);
                await db.SaveChangesAsync();
                var last = DateTime.UtcNow.AddDays(i < 10 ? -45 : -5);
                db.Customers.Add(new Customer { ShopId = shop.Id, MemberId = member.Id, Orders = 1, Spend = 900, FirstOrderAt = last, LastOrderAt = last });
                if (i < 10)
                {
                    ids.Add(member.Id);
                }
            }
            await db.SaveChangesAsync();
            return ids;
        });

        // The owner builds the segment: the size follows the rules as they are typed.
        var owner = await node.SignInAsync("owner@example.com", Password);
        await owner.GotoAsync("/console/demo/segments");
        await owner.Locator("#g-name").FillAsync("Lapsed");
        await owner.Locator("#g-min-days").FillAsync("30");
        await Expect(owner.Locator("#segment-size")).ToHaveTextAsync("10 members now; 10 of them agreed to offers and have an address.");
        await owner.Locator("#g-min-days").FillAsync("3");
        await Expect(owner.Locator("#segment-size")).ToHaveTextAsync("12 members now; 12 of them agreed to offers and have an address.");
        await owner.Locator("#g-min-days").FillAsync("30");
        await Expect(owner.Locator("#segment-size")).ToHaveTextAsync("10 members now; 10 of them agreed to offers and have an address.");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save the segment" }).ClickAsync();
        await Expect(owner.Locator("#rule-segments")).ToContainTextAsync("Lapsed");

        // A coupon campaign to it, a fifth held out, sent now.
        await owner.GotoAsync("/console/demo/campaigns");
        await owner.Locator("#k-name").FillAsync("Come back");
        await owner.Locator("#k-segment").SelectOptionAsync(new SelectOptionValue { Label = "Lapsed (10)" });
        await owner.Locator("#k-coupon").SelectOptionAsync(new SelectOptionValue { Label = "Cake on us" });
        await owner.Locator("#k-subject").FillAsync("We miss you at the café");
        await owner.Locator("#k-message").FillAsync("Come back this week: a cake on us.");
        await owner.Locator("input[name=holdout]").FillAsync("20");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Make the campaign" }).ClickAsync();
        await Expect(owner.Locator("#flash")).ToContainTextAsync("Campaign made");

        // Eight e-mails, each with its member's own code; the two held out get none.
        var recipients = await WaitForRecipientsAsync(node, 10);
        var treated = recipients.Where(r => r.Group == CampaignGroup.Treated).Select(r => r.MemberId).Order().ToList();
        var held = recipients.Where(r => r.Group == CampaignGroup.Holdout).Select(r => r.MemberId).ToList();
        Assert.Equal((8, 2), (treated.Count, held.Count));
        Assert.Subset(lapsed.ToHashSet(), recipients.Select(r => r.MemberId).ToHashSet());
        var codes = new Dictionary<long, string>();
        foreach (var id in treated)
        {
            var message = await mail.WaitForAsync(Address(lapsed, id));
            codes[id] = CodeLine().Match(message.TextBody ?? "").Groups[1].Value;
        }

        // Three of them sign in with an e-mailed code and order a croissant with their own code.
        foreach (var id in treated.Take(3))
        {
            var member = await node.NewPageAsync();
            await member.GotoAsync("/s/demo/join");
            await member.Locator("#join-email").FillAsync(Address(lapsed, id));
            await member.GetByRole(AriaRole.Button, new() { Name = "E-mail me a code" }).ClickAsync();
            await member.WaitForURLAsync(new Regex("/s/demo/join/[0-9a-f]{32}$"));
            var signIn = SixDigits().Match((await mail.WaitForAsync(Address(lapsed, id), skip: 1)).Subject ?? "").Value;
            await member.Locator("#join-code").FillAsync(signIn);
            await member.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await member.WaitForURLAsync("**/s/demo/me");
            await member.GotoAsync("/s/demo/t/5");
            var croissant = member.Locator("article.item", new() { HasText = "Croissant" });
            await croissant.Locator("summary").ClickAsync();
            await croissant.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
            await member.Locator("#cart-bar").ClickAsync();
            await member.Locator("#coupon").FillAsync(codes[id].ToLowerInvariant());
            await member.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            await Expect(member.Locator("#totals")).ToContainTextAsync("Coupon " + codes[id]);
            await member.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
            await member.WaitForURLAsync("**/s/demo/orders/**");
            await member.Context.CloseAsync();
        }
        // The counter completes the three orders.
        await node.InDemoShopAsync(async (services, db, _) =>
        {
            var change = services.GetRequiredService<Plaza.Features.Ordering.ChangeStatus>();
            foreach (var order in await db.Orders.AsNoTracking().Where(o => o.MemberId != null && treated.Contains(o.MemberId.Value)).ToListAsync())
            {
                foreach (var status in ToCompleted)
                {
                    Assert.Null((await change.HandleAsync(order.Id, new(status, null, null), "counter", CancellationToken.None)).Problem);
                }
            }
            return 0;
        });

        // The results: both groups, and the lift with its interval, as a chart and a table, on a phone too.
        await owner.GotoAsync("/console/demo/campaigns");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Come back" }).ClickAsync();
        await Expect(owner.Locator("#groups")).ToContainTextAsync("Members82");
        await Expect(owner.Locator("#groups tr", new() { HasText = "Orders per member" })).ToContainTextAsync("0.00");
        await Expect(owner.Locator("#lift")).ToHaveTextAsync(new Regex(@"^−?€\d+\.\d\d \(−?€\d+\.\d\d – −?€\d+\.\d\d\)$"));
        await Expect(owner.Locator("#lift-chart svg")).ToBeVisibleAsync();
        Assert.Equal(2, await owner.Locator("#lift-chart svg rect.chart-bar").CountAsync());
        Assert.True(await owner.Locator("#lift-chart svg line.chart-whisker").CountAsync() >= 1, "the chart draws the interval");
        await Expect(owner.Locator("#summary")).Not.ToBeEmptyAsync();
        await owner.SetViewportSizeAsync(360, 780);
        await BrowserNode.ScreenshotAsync(owner, "campaign-results-phone");
        Assert.True(await owner.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the results page scrolls sideways at 360 px");
    }

    private static string Address(List<long> lapsed, long id) => $"guest{lapsed.IndexOf(id)}@example.com";

    private static async Task<List<CampaignRecipient>> WaitForRecipientsAsync(BrowserNode node, int count)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var rows = await node.InDemoShopAsync((_, db, _) => db.CampaignRecipients.AsNoTracking().ToListAsync());
            if (rows.Count >= count || DateTime.UtcNow > until)
            {
                return rows;
            }
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"Your own code for [^:]+: (\S+)")]
    private static partial Regex CodeLine();

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();
}
