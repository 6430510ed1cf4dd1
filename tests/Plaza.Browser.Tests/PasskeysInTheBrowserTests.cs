using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Plaza.Data;
using static Microsoft.Playwright.Assertions;

namespace Plaza.Browser.Tests;

/// <summary>
/// Members' passkeys in real Chromium, with its virtual WebAuthn authenticator standing in for the phone's (a platform
/// authenticator that keeps discoverable credentials and verifies the user). The node's public address is
/// http://localhost:PORT: a passkey's relying party is a domain, and Chromium counts loopback http as a secure context.
/// </summary>
public sealed partial class PasskeysInTheBrowserTests
{
    [Fact]
    public async Task A_customer_orders_joins_by_emailed_code_adds_a_passkey_signs_back_in_with_it_alone_sees_points_and_pays_with_a_coupon_and_the_balance()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var node = await BrowserNode.StartAsync(publicUrl: true, configure: app => mail.Configure(app.Settings), host: "localhost");
        var page = await node.NewPageAsync();
        await AddAuthenticatorAsync(page);

        // An order as a guest, then the member page, which leads to joining.
        await OrderAtTableAsync(page);
        await page.GotoAsync("/s/demo/me");
        await page.WaitForURLAsync("**/s/demo/join");
        await page.Locator("#join-email").FillAsync("lin@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "E-mail me a code" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/s/demo/join/[0-9a-f]{32}$"));
        var code = SixDigits().Match((await mail.WaitForAsync("lin@example.com")).Subject ?? "").Value;
        await page.Locator("#join-code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/s/demo/me");
        await Expect(page.Locator("#member-email")).ToContainTextAsync("lin@example.com");
        await Expect(page.Locator("#no-passkeys")).ToBeVisibleAsync();

        // Add a passkey: the phone (the virtual authenticator) makes one, the node keeps its public key.
        await page.Locator("#passkey-name").FillAsync("Lin's phone");
        var added = await page.RunAndWaitForRequestAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync(),
            r => r.Method == "POST" && r.Url.EndsWith("/s/demo/me/passkeys", StringComparison.Ordinal));
        await Expect(page.Locator("#passkeys")).ToContainTextAsync("Lin's phone");
        Assert.Equal(1, await CountPasskeysAsync(node));
        // The same answer again (its challenge used) adds nothing.
        var replayedAdd = await ReplayAsync(page, added);
        Assert.Equal(HttpStatusCode.BadRequest, (HttpStatusCode)replayedAdd.Status);
        Assert.Equal("urn:plaza:problem:passkey-refused", (await replayedAdd.JsonAsync())?.GetProperty("type").GetString());
        Assert.Equal(1, await CountPasskeysAsync(node));

        // Sign out; the member page is closed to this browser now.
        await page.Locator("#sign-out").ClickAsync();
        await page.WaitForURLAsync("**/s/demo");
        await page.GotoAsync("/s/demo/me");
        await page.WaitForURLAsync("**/s/demo/join");

        // Back in with one tap: no e-mail address typed, the passkey says whose it is.
        var signedIn = await page.RunAndWaitForRequestAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync(),
            r => r.Method == "POST" && r.Url.EndsWith("/s/demo/signin/passkey", StringComparison.Ordinal));
        await page.WaitForURLAsync("**/s/demo/me");
        await Expect(page.Locator("#member-email")).ToContainTextAsync("lin@example.com");
        await Expect(page.Locator("#passkeys")).ToContainTextAsync("last used");

        // A replayed sign-in (the same signed answer, its challenge used) is refused, even from a signed-out browser.
        var stranger = await node.NewPageAsync();
        await stranger.GotoAsync("/s/demo/join");
        var replayedSignIn = await ReplayAsync(stranger, signedIn, await TokenAsync(stranger));
        Assert.Equal(HttpStatusCode.BadRequest, (HttpStatusCode)replayedSignIn.Status);
        await stranger.GotoAsync("/s/demo/me");
        await stranger.WaitForURLAsync("**/s/demo/join");

        // Signed in by the passkey, the membership works as before: an order now is the member's.
        await OrderAtTableAsync(page);
        await page.GotoAsync("/s/demo/me");
        await Expect(page.Locator("#member-orders li")).ToHaveCountAsync(1);
        await BrowserNode.ScreenshotAsync(page, "member-passkeys");

        // The shop gives points (1 per euro, 10 a visit), completes the order, tops the balance up at the counter and
        // offers a coupon; the member sees the points, then pays the next order with the coupon and the balance.
        var ordered = await ShopAsync(node, async (services, db, shop) =>
        {
            db.LoyaltyRules.Add(new Plaza.Features.Loyalty.LoyaltyRules { ShopId = shop.Id, PointsPerUnit = 1, PointsPerVisit = 10, PointsPerUnitOff = 100 });
            db.Coupons.Add(new Plaza.Features.Loyalty.Coupon { ShopId = shop.Id, Name = "Hello", Kind = Plaza.Features.Loyalty.CouponKind.PercentOff, Value = 1000, SharedCode = "HELLO10" });
            await db.SaveChangesAsync();
            var order = await db.Orders.SingleAsync(o => o.MemberId != null);
            var change = services.GetRequiredService<Plaza.Features.Ordering.ChangeStatus>();
            foreach (var status in ToCompleted)
            {
                Assert.Null((await change.HandleAsync(order.Id, new(status, null, null), "counter", CancellationToken.None)).Problem);
            }
            var (_, problem) = await services.GetRequiredService<Plaza.Features.Loyalty.StoredValue>()
                .TopUpAsync(order.MemberId!.Value, new(5000), "counter", CancellationToken.None);
            Assert.Null(problem);
            return order;
        });
        await page.GotoAsync("/s/demo/me");
        await Expect(page.Locator("#member-points")).ToHaveTextAsync((10 + (ordered.ItemsTotal / 100)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#member-balance")).ToContainTextAsync("50.00");

        await page.GotoAsync("/s/demo/t/5");
        var croissant = page.Locator("article.item", new() { HasText = "Croissant" });
        await croissant.Locator("summary").ClickAsync();
        await croissant.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
        await page.Locator("#cart-bar").ClickAsync();
        await Expect(page.Locator("#member-pay")).ToBeVisibleAsync();
        await page.Locator("#coupon").FillAsync("hello10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator("#totals")).ToContainTextAsync("Coupon HELLO10");
        await page.Locator("#pay-balance").CheckAsync();
        await Expect(page.Locator("#pay-line")).ToHaveTextAsync("Paid from your balance: nothing to pay at the counter.");
        await BrowserNode.ScreenshotAsync(page, "checkout-coupon-balance");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await page.WaitForURLAsync("**/s/demo/orders/**");
        await Expect(page.Locator("#paid")).ToBeVisibleAsync();
        await Expect(page.Locator("#pay-at-counter")).ToHaveCountAsync(0);

        var paid = await ShopAsync(node, (_, db, _) => db.Orders.OrderByDescending(o => o.PlacedAt).FirstAsync());
        Assert.Equal(Plaza.Features.Ordering.PaymentMethod.Balance, paid.Payment);
        Assert.Equal(paid.Total, paid.PaidFromBalance);
        Assert.Equal(MoneyRound(paid.ItemsTotal / 10m), paid.Discount);
        var member = await ShopAsync(node, (_, db, _) => db.Members.SingleAsync());
        Assert.Equal(5000 - paid.Total, member.Balance);
        Assert.Equal(member.Balance, await ShopAsync(node, (_, db, _) => db.Ledger.Where(e => e.Account == Plaza.Features.Loyalty.LedgerAccount.Balance).SumAsync(e => e.Amount)));
    }

    private static readonly string[] ToCompleted = ["accepted", "ready", "completed"];

    private static long MoneyRound(decimal value) => (long)Math.Round(value, MidpointRounding.AwayFromZero);

    /// <summary>Runs <paramref name="work"/> in the demo shop's scope, as the node's own services would.</summary>
    private static Task<T> ShopAsync<T>(BrowserNode node, Func<IServiceProvider, PlazaDb, Plaza.Features.Catalog.Shop, Task<T>> work) => node.InDemoShopAsync(work);

    [Fact]
    public async Task A_customer_joins_with_a_passkey_alone_giving_a_name_and_a_phone_typed_in_full_width_digits_and_cannot_remove_their_only_passkey()
    {
        await using var node = await BrowserNode.StartAsync(publicUrl: true, host: "localhost");
        var page = await node.NewPageAsync("zh-CN");
        await AddAuthenticatorAsync(page);

        // Lin bought twice before as a guest, known to the shop by the phone she gave.
        using (var before = node.Services.CreateScope())
        {
            var seed = before.ServiceProvider.GetRequiredService<PlazaDb>();
            var demo = await seed.Shops.IgnoreQueryFilters().SingleAsync(s => s.Slug == "demo");
            seed.Customers.Add(new Plaza.Features.Campaigns.Customer { ShopId = demo.Id, Phone = "+8613800138000", Orders = 2, Spend = 900, FirstOrderAt = DateTime.UtcNow.AddDays(-20), LastOrderAt = DateTime.UtcNow.AddDays(-3) });
            await seed.SaveChangesAsync();
        }

        await page.GotoAsync("/s/demo/join");
        // The node has no mail: joining by e-mail is closed, joining with a passkey is not.
        await Expect(page.Locator("#join-closed")).ToBeVisibleAsync();
        await BrowserNode.ScreenshotAsync(page, "join-with-a-passkey-zh");
        var form = page.Locator("#passkey-join");
        await form.GetByLabel("电话（可选）").FillAsync("12 34");
        await form.GetByRole(AriaRole.Button, new() { Name = "用通行密钥入会" }).ClickAsync();
        await Expect(form.Locator(".form-error")).ToHaveTextAsync("无法识别这个电话号码；请检查，或留空。");

        await form.GetByLabel("姓名（可选）").FillAsync("小林");
        // The demo shop is in Berlin: a Chinese mobile number comes with its country code, typed on a Chinese keyboard.
        await form.GetByLabel("电话（可选）").FillAsync("＋８６ １３８ ００１３ ８０００");
        await form.Locator("input[name=Offers]").CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "用通行密钥入会" }).ClickAsync();
        await page.WaitForURLAsync("**/s/demo/me");
        await Expect(page.Locator("#member-email")).ToContainTextAsync("小林");

        using var scope = node.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var member = await db.Members.IgnoreQueryFilters().SingleAsync();
        Assert.Equal((null, "小林", "+8613800138000", "zh-Hans"), (member.Email, member.Name, member.Phone, member.Language));
        Assert.NotNull(member.MarketingConsentAt);
        Assert.Equal(1, await CountPasskeysAsync(node));
        // Joining with that phone makes her the same customer: what she bought as a guest is hers.
        var customer = await db.Customers.IgnoreQueryFilters().SingleAsync(c => c.Phone == "+8613800138000");
        Assert.Equal((member.Id, 2), (customer.MemberId, customer.Orders));

        // Its only passkey is its only way back: removing it is refused.
        await page.Locator(".remove-passkey").ClickAsync();
        await page.WaitForURLAsync("**/s/demo/me");
        await Expect(page.Locator("#passkeys li")).ToHaveCountAsync(1);
    }

    /// <summary>A platform authenticator in this page's browser context, as a phone's: resident keys, user verified.</summary>
    private static async Task AddAuthenticatorAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
    }

    private static async Task OrderAtTableAsync(IPage page)
    {
        await page.GotoAsync("/s/demo/t/5");
        var croissant = page.Locator("article.item", new() { HasText = "Croissant" });
        await croissant.Locator("summary").ClickAsync();
        await croissant.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
        await page.Locator("#cart-bar").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await page.WaitForURLAsync("**/s/demo/orders/**");
    }

    /// <summary>Sends a request the page made once more, as it was (its body, its antiforgery header unless another is given).</summary>
    private static async Task<IAPIResponse> ReplayAsync(IPage page, IRequest request, string? token = null)
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["RequestVerificationToken"] = token ?? await request.HeaderValueAsync("RequestVerificationToken") ?? "",
        };
        return await page.APIRequest.PostAsync(request.Url, new() { Headers = headers, DataString = request.PostData });
    }

    private static async Task<string> TokenAsync(IPage page) =>
        await page.Locator("#passkey-signin input[name=__RequestVerificationToken]").GetAttributeAsync("value") ?? "";

    private static async Task<int> CountPasskeysAsync(BrowserNode node)
    {
        using var scope = node.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PlazaDb>().MemberPasskeys.IgnoreQueryFilters().CountAsync();
    }

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex SixDigits();
}
