using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Loyalty;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Members;

/// <summary>
/// What brings members back: points earned on completion and reversed on refund, a stored balance spent from two
/// phones at once, coupons with their limits, reasons and tax split. After every test the ledger's sums are the
/// balances and points the members see.
/// </summary>
public sealed class LoyaltyTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Points_are_earned_when_an_order_completes_and_reversed_in_proportion_when_it_is_refunded(Store store)
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(store, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        await PutRulesAsync(owner, shop, perUnit: 1, perVisit: 5);
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "points@example.com", offers: false);

        // Cake 4.50 + Coffee 3.00 = 7.50: 7 points for the euros, 5 for the visit, once the order is completed.
        var order = await PlaceAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id), TestShops.Line(shop.Coffee.Id, 1, shop.Size.Options[0].Id)]);
        var id = order.GetProperty("id").GetGuid();
        foreach (var status in new[] { "accepted", "ready" })
        {
            await MoveAsync(owner, shop, id, status);
        }
        Assert.Equal(0, (await MeAsync(phone.Client, shop)).GetProperty("points").GetInt64());
        await MoveAsync(owner, shop, id, "completed");
        Assert.Equal(12, (await MeAsync(phone.Client, shop)).GetProperty("points").GetInt64());

        // Half refunded: half the points go; the rest with the rest of the money. Staff may not refund; a reason is needed.
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync(Url(shop, $"orders/{id}/refunds"), new { reason = "cold" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsJsonAsync(Url(shop, $"orders/{id}/refunds"), new { amount = 375 })).StatusCode);
        var half = await owner.PostAsJsonAsync(Url(shop, $"orders/{id}/refunds"), new { amount = 375, reason = "Cake was stale" });
        Assert.Equal(HttpStatusCode.OK, half.StatusCode);
        var refunded = await half.JsonAsync();
        Assert.Equal("refunded", refunded.GetProperty("status").GetString());
        Assert.Equal(375, refunded.GetProperty("refunded").GetProperty("amount").GetInt64());
        Assert.Equal(6, (await MeAsync(phone.Client, shop)).GetProperty("points").GetInt64());
        var tooMuch = await owner.PostAsJsonAsync(Url(shop, $"orders/{id}/refunds"), new { amount = 376, reason = "all of it" });
        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync(Url(shop, $"orders/{id}/refunds"), new { reason = "Closed early" })).StatusCode);
        Assert.Equal(0, (await MeAsync(phone.Client, shop)).GetProperty("points").GetInt64());
        Assert.Equal(2, await app.WithDb(shop.Shop, db => db.OrderRefunds.CountAsync()));
        await AssertLedgerAsync(app, shop);
    }

    [Fact]
    public async Task Points_pay_part_of_an_order_come_back_when_it_is_rejected_and_lapse_unspent_after_their_days()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        await PutRulesAsync(owner, shop, perUnit: 10, perVisit: 0); // 100 points take €1 off
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "redeem@example.com", offers: false);
        var member = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());
        await owner.PostAsJsonAsync(Url(shop, $"members/{member.Id}/adjustments"), new { account = "points", amount = 600, reason = "Welcome" });

        Assert.Contains("points-not-redeemable", await (await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], redeemPoints: 150)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("points-exceed-order", await (await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], redeemPoints: 500)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var paid = await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], redeemPoints: 200);
        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        var order = await paid.JsonAsync();
        Assert.Equal((250L, 200L), (order.GetProperty("total").GetProperty("amount").GetInt64(), order.GetProperty("pointsRedeemed").GetInt64()));
        Assert.Equal(400, (await MeAsync(phone.Client, shop)).GetProperty("points").GetInt64());
        await MoveAsync(app.StaffClient(await app.IssueTokenAsync(shop.Shop)), shop, order.GetProperty("id").GetGuid(), "rejected", "Out of cake");
        Assert.Equal(600, (await MeAsync(phone.Client, shop)).GetProperty("points").GetInt64());

        // A completed €4.50 order earns 40 points, lapsing after 365 days. A year on (the entry's date moved back),
        // the sweep lapses those 40: the 600 given by hand do not lapse, and spending had used none of the 40.
        var earning = (await PlaceAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)])).GetProperty("id").GetGuid();
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        foreach (var status in new[] { "accepted", "ready", "completed" })
        {
            await MoveAsync(staff, shop, earning, status);
        }
        Assert.Equal(640, (await MeAsync(phone.Client, shop)).GetProperty("points").GetInt64());
        var expiry = app.Services.GetRequiredService<PointsExpiry>();
        Assert.Equal(0, await expiry.SweepAsync(CancellationToken.None));
        await app.WithDb(shop.Shop, db => db.Ledger.Where(e => e.Kind == LedgerKind.Earned)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        Assert.Equal(1, await expiry.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await expiry.SweepAsync(CancellationToken.None));
        Assert.Equal(600, (await MeAsync(phone.Client, shop)).GetProperty("points").GetInt64());
        await AssertLedgerAsync(app, shop);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Twenty_concurrent_spends_against_a_balance_that_covers_five_end_with_exactly_five_accepted(Store store)
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(store, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "balance@example.com", offers: false);
        var member = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());
        // Five cakes' worth, paid in at the counter.
        var topUp = await staff.PostAsJsonAsync(Url(shop, $"members/{member.Id}/top-ups"), new { amount = 5 * 450 });
        Assert.Equal(HttpStatusCode.OK, topUp.StatusCode);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], payment: "balance")));
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.Contains("balance-too-low", await answers.First(a => a.StatusCode == HttpStatusCode.Conflict).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await MeAsync(phone.Client, shop)).GetProperty("balance").GetProperty("amount").GetInt64());
        Assert.Equal(5, await app.WithDb(shop.Shop, db => db.Orders.CountAsync(o => o.Payment == PaymentMethod.Balance && o.PaidFromBalance == 450)));
        await AssertLedgerAsync(app, shop);

        // A rejected order gives its payment back to the balance.
        var paid = (await answers.First(a => a.StatusCode == HttpStatusCode.Created).JsonAsync()).GetProperty("id").GetGuid();
        await MoveAsync(staff, shop, paid, "rejected", "Out of cake");
        Assert.Equal(450, (await MeAsync(phone.Client, shop)).GetProperty("balance").GetProperty("amount").GetInt64());
        await AssertLedgerAsync(app, shop);
    }

    [Fact]
    public async Task Paying_from_the_balance_needs_the_storefronts_own_header_and_a_member_and_is_refused_from_another_site()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "csrf@example.com", offers: false);
        var member = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());
        await app.StaffClient(await app.IssueTokenAsync(shop.Shop)).PostAsJsonAsync(Url(shop, $"members/{member.Id}/top-ups"), new { amount = 5000 });

        // A form or script on another site can send the cookie (Lax lets a top-level POST through in some browsers) but not the header.
        var noHeader = await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], payment: "balance", header: false);
        Assert.Equal(HttpStatusCode.Forbidden, noHeader.StatusCode);
        Assert.Contains("member-header-missing", await noHeader.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A browser says a cross-site request is one: the member is not recognised, so there is no balance to pay from.
        var crossSite = await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], payment: "balance", site: "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Contains("member-needed", await crossSite.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Orders.CountAsync()));
        Assert.Equal(5000, (await MeAsync(phone.Client, shop)).GetProperty("balance").GetProperty("amount").GetInt64());

        Assert.Equal(HttpStatusCode.Created, (await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], payment: "balance")).StatusCode);
        Assert.Equal(5000 - 450, (await MeAsync(phone.Client, shop)).GetProperty("balance").GetProperty("amount").GetInt64());
        await AssertLedgerAsync(app, shop);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_coupon_with_a_per_member_limit_of_one_is_used_once_also_when_ten_orders_try_at_once(Store store)
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(store, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        var created = await owner.PostAsJsonAsync(Url(shop, "coupons"), new { name = "Welcome", amountOff = 100, perMemberLimit = 1, sharedCode = "welcome-1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var coupon = (await created.JsonAsync()).GetProperty("id").GetInt32();

        // A guest cannot use a coupon limited per member: there is no member to count it against.
        using var guest = ConsoleSession.Anonymous(app);
        var asGuest = await PlaceRawAsync(guest.Client, shop, [TestShops.Line(shop.Cake.Id)], coupons: ["WELCOME1"]);
        Assert.Equal(HttpStatusCode.Forbidden, asGuest.StatusCode);

        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "coupon@example.com", offers: false);
        // Typed on a Chinese keyboard: full-width letters, lower case, a dash.
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], coupons: ["ｗｅｌｃｏｍｅ-１"])));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var used = await answers.Single(a => a.StatusCode == HttpStatusCode.Created).JsonAsync();
        Assert.Equal(350, used.GetProperty("total").GetProperty("amount").GetInt64());
        var again = await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], coupons: ["WELCOME1"]);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("coupon-used-up", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((1, 1), await app.WithDb(shop.Shop, async db => (await db.CouponUses.CountAsync(), (await db.Coupons.SingleAsync()).Uses)));

        // The shop rejects that order: the use is given back, and the member may use the coupon once more.
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        await MoveAsync(staff, shop, used.GetProperty("id").GetGuid(), "rejected", "Closed");
        Assert.Equal(HttpStatusCode.Created, (await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], coupons: ["WELCOME1"])).StatusCode);
        var uses = await (await staff.GetAsync(Url(shop, $"coupons/{coupon}/uses"))).JsonAsync();
        Assert.Equal(2, uses.GetArrayLength());
        Assert.Equal(1, uses.EnumerateArray().Count(u => u.GetProperty("releasedAt").ValueKind == JsonValueKind.Null));
        await AssertLedgerAsync(app, shop);
    }

    [Fact]
    public async Task Expired_out_of_scope_under_minimum_and_someone_elses_coupons_are_refused_with_a_clear_reason_and_change_nothing()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        var now = DateTimeOffset.UtcNow;
        await CreateCouponAsync(owner, shop, new { name = "Last week", percentOff = 10, sharedCode = "OLD10", validUntil = now.AddDays(-1) });
        await CreateCouponAsync(owner, shop, new { name = "Buns only", percentOff = 20, sharedCode = "BUNS20", itemIds = new[] { shop.Bun.Id } });
        await CreateCouponAsync(owner, shop, new { name = "Big order", amountOff = 500, sharedCode = "BIG5", minimumSpend = 2000 });
        var personal = await CreateCouponAsync(owner, shop, new { name = "For you", percentOff = 50 });
        var first = await CreateCouponAsync(owner, shop, new { name = "First", amountOff = 50, sharedCode = "FIRST" });
        await CreateCouponAsync(owner, shop, new { name = "Second", amountOff = 50, sharedCode = "SECOND" });
        var issued = await (await owner.PostAsJsonAsync(Url(shop, $"coupons/{personal}/codes"), new { count = 1 })).JsonAsync();
        var paperCode = issued[0].GetProperty("code").GetString()!;

        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "someone@example.com", offers: false);
        var someone = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());
        var theirs = await (await owner.PostAsJsonAsync(Url(shop, $"coupons/{personal}/codes"), new { memberId = someone.Id })).JsonAsync();
        using var stranger = ConsoleSession.Anonymous(app);

        var cases = new (HttpClient Client, string Code, string Type, string Says)[]
        {
            (stranger.Client, "OLD10", "coupon-expired", "Last week is no longer valid."),
            (stranger.Client, "BUNS20", "coupon-out-of-scope", "Buns only is for items that are not in the cart."),
            (stranger.Client, "BIG5", "coupon-below-minimum", "Big order needs items worth at least €20.00; these come to €4.50."),
            (stranger.Client, "NOSUCH", "coupon-unknown", "There is no coupon NOSUCH at Test café."),
            (stranger.Client, theirs[0].GetProperty("code").GetString()!, "coupon-not-yours", "was given to another member"),
        };
        foreach (var (client, code, type, says) in cases)
        {
            var refused = await PlaceRawAsync(client, shop, [TestShops.Line(shop.Cake.Id)], coupons: [code]);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await refused.JsonAsync();
            Assert.EndsWith(":" + type, problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains(says, problem.GetProperty("errors").GetProperty("coupons")[0].GetString(), StringComparison.Ordinal);
        }
        var twoAtOnce = await PlaceRawAsync(stranger.Client, shop, [TestShops.Line(shop.Cake.Id)], coupons: ["FIRST", "SECOND"]);
        Assert.Contains("coupons-not-combinable", await twoAtOnce.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Orders.CountAsync()));
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.CouponUses.CountAsync()));
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Coupons.SumAsync(c => c.Uses)));

        // A code on paper works once for whoever has it; the member's own code works for them.
        Assert.Equal(HttpStatusCode.Created, (await PlaceRawAsync(stranger.Client, shop, [TestShops.Line(shop.Cake.Id)], coupons: [paperCode])).StatusCode);
        var reused = await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], coupons: [paperCode]);
        Assert.Contains("coupon-used-up", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)], coupons: [theirs[0].GetProperty("code").GetString()!])).StatusCode);
        Assert.Equal(first, (await (await owner.GetAsync(Url(shop, "coupons"))).JsonAsync()).EnumerateArray().Single(c => c.GetProperty("name").GetString() == "First").GetProperty("id").GetInt32());
    }

    /// <summary>
    /// The hand-computed example of the one rounding rule. Two coffees (2 × 3.00, drinks 19 %) and a cake (4.50, food 7 %)
    /// come to 10.50; a coupon takes 2.00 off the whole order. Split in proportion to the lines: coffee 200 × 600 / 1050 =
    /// 114.29 → 114, cake 200 × 450 / 1050 = 85.71 → 85; one cent is left and goes to the larger remainder (cake, .71), so
    /// coffee pays 4.86 and cake 3.64. Prices with tax included: drinks tax 486 × 19 / 119 = 77.60 → 0.78, food tax
    /// 364 × 7 / 107 = 23.81 → 0.24; the total is 8.50. Prices without tax: 486 × 19 % = 92.34 → 0.92 and 364 × 7 % =
    /// 25.48 → 0.25, and the total is 8.50 + 1.17 = 9.67.
    /// </summary>
    [Theory]
    [InlineData(true, 78, 24, 850)]
    [InlineData(false, 92, 25, 967)]
    public async Task A_coupon_on_an_order_with_two_tax_rates_is_split_as_the_hand_computed_example_says(bool inclusive, long drinksTax, long foodTax, long total)
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await TestShops.CreateAsync(app, s => s.PricesIncludeTax = inclusive);
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        await CreateCouponAsync(owner, shop, new { name = "Two off", amountOff = 200, sharedCode = "TWOOFF" });
        object[] cart = [TestShops.Line(shop.Coffee.Id, 2, shop.Size.Options[0].Id), TestShops.Line(shop.Cake.Id)];
        using var guest = ConsoleSession.Anonymous(app);

        var quote = await (await guest.Client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/quote", new { type = "pickup", items = cart, coupons = TwoOff })).JsonAsync();
        var placed = await PlaceRawAsync(guest.Client, shop, cart, coupons: ["TWOOFF"]);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        foreach (var priced in new[] { quote, await placed.JsonAsync() })
        {
            Assert.Equal(200, priced.GetProperty("discount").GetProperty("amount").GetInt64());
            Assert.Equal("TWOOFF", priced.GetProperty("discounts")[0].GetProperty("label").GetString());
            var taxes = priced.GetProperty("taxes").EnumerateArray().ToDictionary(t => t.GetProperty("ratePercent").GetDecimal(), t => t);
            Assert.Equal((486, drinksTax), (taxes[19m].GetProperty("base").GetProperty("amount").GetInt64(), taxes[19m].GetProperty("tax").GetProperty("amount").GetInt64()));
            Assert.Equal((364, foodTax), (taxes[7m].GetProperty("base").GetProperty("amount").GetInt64(), taxes[7m].GetProperty("tax").GetProperty("amount").GetInt64()));
            Assert.Equal(total, priced.GetProperty("total").GetProperty("amount").GetInt64());
        }
    }

    [Fact]
    public async Task A_top_up_gets_the_offers_bonus_and_only_an_owner_corrects_with_a_reason_never_below_zero()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "counter"));
        await PutRulesAsync(owner, shop, perUnit: 0, perVisit: 0, offers: [new { amount = 50000, bonus = 5000 }, new { amount = 100000, bonus = 12000 }]);
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "topup@example.com", offers: false);
        var member = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());

        // "Top up 500, get 50": a top-up of 600 reaches the 500 offer.
        var topped = await (await staff.PostAsJsonAsync(Url(shop, $"members/{member.Id}/top-ups"), new { amount = 60000 })).JsonAsync();
        Assert.Equal(65000, topped.GetProperty("balance").GetProperty("amount").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync(Url(shop, $"members/{member.Id}/top-ups"), new { amount = -5 })).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync(Url(shop, $"members/{member.Id}/adjustments"), new { account = "balance", amount = 100, reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsJsonAsync(Url(shop, $"members/{member.Id}/adjustments"), new { account = "balance", amount = 100 })).StatusCode);
        var below = await owner.PostAsJsonAsync(Url(shop, $"members/{member.Id}/adjustments"), new { account = "balance", amount = -65001, reason = "typo" });
        Assert.Equal(HttpStatusCode.Conflict, below.StatusCode);
        var fixedUp = await owner.PostAsJsonAsync(Url(shop, $"members/{member.Id}/adjustments"), new { account = "balance", amount = -1000, reason = "Counted twice" });
        Assert.Equal(64000, (await fixedUp.JsonAsync()).GetProperty("balance").GetProperty("amount").GetInt64());

        var detail = await (await staff.GetAsync(Url(shop, $"members/{member.Id}"))).JsonAsync();
        var kinds = detail.GetProperty("ledger").EnumerateArray().Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("amount").GetInt64(), e.GetProperty("actor").GetString())).ToList();
        Assert.Equal([("topUp", 60000L, "token:counter"), ("bonus", 5000L, "token:counter"), ("adjusted", -1000L, "token:owner")], kinds);
        await AssertLedgerAsync(app, shop);
    }

    [Fact]
    public async Task At_the_counter_staff_top_up_from_the_console_only_the_owner_corrects_and_the_owners_coupon_reaches_the_members_page()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "counter@example.com", offers: false);
        var member = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, Plaza.Features.Console.ShopRole.Staff));
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, Plaza.Features.Console.ShopRole.Owner));
        var page = $"/console/{shop.Slug}/members/{member.Id}";

        Assert.Contains("counter@example.com", await staff.Client.GetStringAsync($"/console/{shop.Slug}/members?q=COUNTER"), StringComparison.Ordinal);
        // Typed on a Chinese keyboard: full-width digits and point.
        var topUp = await staff.PostFormAsync(page + "?handler=TopUp", new() { ["amount"] = "１２．５０" }, await staff.TokenAsync(page));
        Assert.Equal(HttpStatusCode.Redirect, topUp.StatusCode);
        Assert.Contains("€12.50", await staff.Client.GetStringAsync(page), StringComparison.Ordinal);
        var staffCorrects = await staff.PostFormAsync(page + "?handler=Adjust", new() { ["account"] = "balance", ["amount"] = "-12.50", ["reason"] = "mine now" }, await staff.TokenAsync(page));
        Assert.Equal(HttpStatusCode.Forbidden, staffCorrects.StatusCode);
        await owner.PostFormAsync(page + "?handler=Adjust", new() { ["account"] = "balance", ["amount"] = "-2.50", ["reason"] = "Typed 12.50 for 10" }, await owner.TokenAsync(page));
        Assert.Equal(1000, (await MeAsync(phone.Client, shop)).GetProperty("balance").GetProperty("amount").GetInt64());

        var coupons = $"/console/{shop.Slug}/coupons";
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(coupons)).StatusCode);
        await owner.PostFormAsync(coupons + "?handler=Create", new() { ["name"] = "生日快乐", ["kind"] = "percent", ["value"] = "15" }, await owner.TokenAsync(coupons));
        var coupon = await app.WithDb(shop.Shop, db => db.Coupons.SingleAsync());
        Assert.Equal((CouponKind.PercentOff, 1500L), (coupon.Kind, coupon.Value));
        await owner.PostFormAsync(page + "?handler=Give", new() { ["coupon"] = coupon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, await owner.TokenAsync(page));
        var code = await app.WithDb(shop.Shop, db => db.CouponCodes.SingleAsync());
        Assert.Equal(member.Id, code.MemberId);
        var mine = await phone.Client.GetStringAsync($"/s/{shop.Slug}/me");
        Assert.Contains(code.Code, mine, StringComparison.Ordinal);
        Assert.Contains("生日快乐", mine, StringComparison.Ordinal);
        await AssertLedgerAsync(app, shop);
    }

    [Fact]
    public async Task A_member_reaches_silver_after_two_completed_orders_in_90_days_and_then_pays_5_percent_less()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, Plaza.Features.Console.ShopRole.Owner));
        var rules = $"/console/{shop.Slug}/loyalty";
        await owner.PostFormAsync(rules + "?handler=AddTier", new() { ["name"] = "Silver", ["measure"] = "Orders", ["threshold"] = "2", ["windowDays"] = "90", ["percentOff"] = "5" }, await owner.TokenAsync(rules));
        Assert.Contains("Silver", await owner.Client.GetStringAsync(rules), StringComparison.Ordinal);
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "silver@example.com", offers: false);
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));

        for (var i = 0; i < 2; i++)
        {
            var order = await PlaceAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)]);
            Assert.Equal(450, order.GetProperty("total").GetProperty("amount").GetInt64());
            foreach (var status in new[] { "accepted", "ready", "completed" })
            {
                await MoveAsync(staff, shop, order.GetProperty("id").GetGuid(), status);
            }
        }
        // Two completed orders: Silver, 5 % off (22.5 cents, rounded away from zero to 23: 4.50 → 4.27); a guest pays in full.
        var silver = await PlaceAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)]);
        Assert.Equal((427L, "tier"), (silver.GetProperty("total").GetProperty("amount").GetInt64(), silver.GetProperty("discounts")[0].GetProperty("label").GetString()));
        Assert.Contains("Silver", await phone.Client.GetStringAsync($"/s/{shop.Slug}/me"), StringComparison.Ordinal);
        using var guest = ConsoleSession.Anonymous(app);
        Assert.Equal(450, (await PlaceAsync(guest.Client, shop, [TestShops.Line(shop.Cake.Id)])).GetProperty("total").GetProperty("amount").GetInt64());
        // A refund in full takes the order out of the count: one completed order left, no tier.
        var owners = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        var first = await app.WithDb(shop.Shop, db => db.Orders.Where(o => o.Status == OrderStatus.Completed).Select(o => o.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.OK, (await owners.PostAsJsonAsync(Url(shop, $"orders/{first}/refunds"), new { reason = "Wrong cake" })).StatusCode);
        Assert.Equal(450, (await PlaceAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id)])).GetProperty("total").GetProperty("amount").GetInt64());
    }

    private static readonly string[] TwoOff = ["TWOOFF"];

    /// <summary>The ledger's sums are what members see: every member's points and balance.</summary>
    internal static async Task AssertLedgerAsync(PlazaApp app, TestShop shop)
    {
        var (members, ledger) = await app.WithDb(shop.Shop, async db => (
            await db.Members.AsNoTracking().ToListAsync(),
            await db.Ledger.AsNoTracking().GroupBy(e => new { e.MemberId, e.Account }).Select(g => new { g.Key.MemberId, g.Key.Account, Sum = g.Sum(e => e.Amount) }).ToListAsync()));
        foreach (var member in members)
        {
            Assert.Equal(member.Points, ledger.Where(l => l.MemberId == member.Id && l.Account == LedgerAccount.Points).Sum(l => l.Sum));
            Assert.Equal(member.Balance, ledger.Where(l => l.MemberId == member.Id && l.Account == LedgerAccount.Balance).Sum(l => l.Sum));
            Assert.True(member.Balance >= 0);
        }
    }

    internal static string Url(TestShop shop, string path) => $"/api/v1/shops/{shop.Slug}/{path}";

    internal static async Task<JsonElement> MeAsync(HttpClient phone, TestShop shop)
    {
        var me = await phone.GetAsync(Url(shop, "me"));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        return await me.JsonAsync();
    }

    private static async Task PutRulesAsync(HttpClient owner, TestShop shop, int perUnit, int perVisit, object[]? offers = null)
    {
        var put = await owner.PutAsJsonAsync(Url(shop, "loyalty"), new { pointsPerUnit = perUnit, pointsPerVisit = perVisit, pointsPerUnitOff = 100, pointsExpireAfterDays = 365, topUpOffers = offers ?? [] });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    private static async Task<int> CreateCouponAsync(HttpClient owner, TestShop shop, object coupon)
    {
        var created = await owner.PostAsJsonAsync(Url(shop, "coupons"), coupon);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.JsonAsync()).GetProperty("id").GetInt32();
    }

    private static async Task MoveAsync(HttpClient staff, TestShop shop, Guid order, string status, string? reason = null)
    {
        var moved = await staff.PostAsJsonAsync(Url(shop, $"orders/{order}/status"), new { status, reason });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
    }

    private static async Task<JsonElement> PlaceAsync(HttpClient phone, TestShop shop, object[] items)
    {
        var placed = await PlaceRawAsync(phone, shop, items);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        return await placed.JsonAsync();
    }

    /// <summary>An order as the storefront's script sends it: same-origin, with the member header when it spends.</summary>
    internal static async Task<HttpResponseMessage> PlaceRawAsync(HttpClient phone, TestShop shop, object[] items, string? payment = null, string[]? coupons = null,
        int? redeemPoints = null, bool header = true, string site = "same-origin")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(shop, "orders"))
        {
            Content = JsonContent.Create(new { type = "pickup", items, customer = new { name = "Mei", phone = "+49 30 1234567" }, payment, coupons, redeemPoints }),
        };
        request.Headers.Add("Sec-Fetch-Site", site);
        if (header)
        {
            request.Headers.Add(LoyaltyApi.MemberHeader, "1");
        }
        return await phone.SendAsync(request);
    }
}
