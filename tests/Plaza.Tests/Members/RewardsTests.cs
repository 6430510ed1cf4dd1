using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Features.Loyalty;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Members.LoyaltyTests;

namespace Plaza.Tests.Members;

/// <summary>
/// Points for a dish the shop pushes, and points spent on a reward: the member takes it on their page, the points go and a
/// single-use code is theirs, never more codes than the points pay for, also when the button is pressed from two phones.
/// </summary>
public sealed class RewardsTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_bonus_dish_earns_extra_points_which_buy_a_free_coffee_exactly_as_often_as_they_cover(Store store)
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(store, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var ownerToken = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));

        // Cake earns 30 extra points each; nothing else earns any.
        var loyalty = $"/console/{shop.Slug}/loyalty";
        var bonus = await owner.PostFormAsync($"{loyalty}?handler=Bonus", new() { ["item"] = $"{shop.Cake.Id}", ["points"] = "30" }, await owner.TokenAsync(loyalty));
        Assert.Equal(HttpStatusCode.Redirect, bonus.StatusCode);
        Assert.Contains("30 points each", await (await owner.Client.GetAsync(loyalty)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var made = await ownerToken.PostAsJsonAsync(Url(shop, "coupons"), new { name = "Free coffee", freeItemId = shop.Coffee.Id, pointsCost = 50 });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var reward = (await made.JsonAsync()).GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.BadRequest, (await ownerToken.PostAsJsonAsync(Url(shop, "coupons"), new { name = "Nothing", percentOff = 5, pointsCost = 0 })).StatusCode);

        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "rewards@example.com", offers: false);
        var placed = await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Cake.Id, 3), TestShops.Line(shop.Coffee.Id, 1, shop.Size.Options[0].Id)]);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.JsonAsync()).GetProperty("id").GetGuid();
        foreach (var status in new[] { "accepted", "ready", "completed" })
        {
            Assert.Equal(HttpStatusCode.OK, (await ownerToken.PostAsJsonAsync(Url(shop, $"orders/{order}/status"), new { status })).StatusCode);
        }
        Assert.Equal(90, (await MeAsync(phone.Client, shop)).GetProperty("points").GetInt64());

        // 90 points pay for one reward of 50: five taps at once give exactly one code and leave 40 points.
        var me = $"/s/{shop.Slug}/me";
        var token = await phone.TokenAsync(me);
        var taps = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => phone.PostFormAsync($"{me}/Exchange", new() { ["id"] = $"{reward}" }, token)));
        Assert.All(taps, t => Assert.Equal(HttpStatusCode.Redirect, t.StatusCode));
        var mine = await MeAsync(phone.Client, shop);
        Assert.Equal(40, mine.GetProperty("points").GetInt64());
        var code = Assert.Single(mine.GetProperty("coupons").EnumerateArray()).GetProperty("code").GetString()!;
        await phone.PostFormAsync($"{me}/Exchange", new() { ["id"] = $"{reward}" }, token);
        Assert.Contains("needs 50 points; you have 40", await (await phone.Client.GetAsync(me)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The code takes the coffee off the next order, once; the owner sees the use under the coupon.
        var free = await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Coffee.Id, 1, shop.Size.Options[0].Id), TestShops.Line(shop.Bun.Id)], coupons: [code]);
        Assert.Equal(HttpStatusCode.Created, free.StatusCode);
        Assert.Equal(350, (await free.JsonAsync()).GetProperty("total").GetProperty("amount").GetInt64());
        var again = await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Coffee.Id, 1, shop.Size.Options[0].Id)], coupons: [code]);
        Assert.True(again.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity, $"{again.StatusCode}");
        var uses = await (await owner.Client.GetAsync($"/console/{shop.Slug}/coupons?uses={reward}")).Content.ReadAsStringAsync();
        Assert.Contains(code, uses, StringComparison.Ordinal);
        Assert.Contains("3.00", uses, StringComparison.Ordinal);

        var redeemed = await app.WithDb(shop.Shop, db => db.Ledger.Where(e => e.Kind == LedgerKind.Redeemed).Select(e => new { e.Amount, e.Reason }).ToListAsync());
        Assert.Equal((-50L, "Free coffee"), (Assert.Single(redeemed).Amount, redeemed[0].Reason));
        await AssertLedgerAsync(app, shop);
    }

    [Fact]
    public async Task A_tiers_monthly_gift_is_taken_once_a_month_even_from_two_tabs_at_once()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var ownerToken = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        var made = await ownerToken.PostAsJsonAsync(Url(shop, "coupons"), new { name = "Birthday cake", freeItemId = shop.Cake.Id });
        var cake = (await made.JsonAsync()).GetProperty("id").GetInt32();
        var loyalty = $"/console/{shop.Slug}/loyalty";
        var tier = await owner.PostFormAsync($"{loyalty}?handler=AddTier", new()
        {
            ["name"] = "Gold",
            ["threshold"] = "1",
            ["measure"] = "Orders",
            ["windowDays"] = "30",
            ["percentOff"] = "0",
            ["gift"] = $"{cake}",
        }, await owner.TokenAsync(loyalty));
        Assert.Equal(HttpStatusCode.Redirect, tier.StatusCode);
        Assert.Contains("each month: Birthday cake", await (await owner.Client.GetAsync(loyalty)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "gold@example.com", offers: false);
        var me = $"/s/{shop.Slug}/me";
        Assert.DoesNotContain("member-gift", await (await phone.Client.GetAsync(me)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var placed = await PlaceRawAsync(phone.Client, shop, [TestShops.Line(shop.Bun.Id)]);
        var order = (await placed.JsonAsync()).GetProperty("id").GetGuid();
        foreach (var status in new[] { "accepted", "ready", "completed" })
        {
            Assert.Equal(HttpStatusCode.OK, (await ownerToken.PostAsJsonAsync(Url(shop, $"orders/{order}/status"), new { status })).StatusCode);
        }

        // Gold now: the gift is offered; two tabs take it at once and one code is issued; then it is gone for the month.
        Assert.Contains("Your Gold gift this month: Birthday cake", await (await phone.Client.GetAsync(me)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var token = await phone.TokenAsync(me);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => phone.PostFormAsync($"{me}/Gift", [], token)));
        var codes = (await MeAsync(phone.Client, shop)).GetProperty("coupons").EnumerateArray().ToList();
        Assert.Equal("Birthday cake", Assert.Single(codes).GetProperty("coupon").GetString());
        Assert.Equal(1, await app.WithDb(shop.Shop, db => db.TierGifts.CountAsync()));
        var page = await (await phone.Client.GetAsync(me)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("member-gift", page, StringComparison.Ordinal);
    }
}
