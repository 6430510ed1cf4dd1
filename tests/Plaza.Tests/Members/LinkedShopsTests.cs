using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Features.Loyalty;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Members.LoyaltyTests;

namespace Plaza.Tests.Members;

/// <summary>
/// One owner's main business and sideline linked into one programme: a member's points and balance count in both, the
/// consent names both, each shop's report counts what was paid in at its own counter, and another owner's shop never
/// shares a member.
/// </summary>
public sealed class LinkedShopsTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_links_a_sideline_and_a_members_points_and_balance_count_in_both_shops_but_never_in_another_owners(Store store)
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(store, configure: a => mail.Configure(a.Settings));
        var noodles = await TestShops.CreateAsync(app, s => s.Name = "Noodle Bar");
        var tea = await TestShops.CreateAsync(app, s => s.Name = "Tea Corner");
        var neighbour = await TestShops.CreateAsync(app, s => s.Name = "Bakery Next Door");
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (noodles, ShopRole.Owner), (tea, ShopRole.Owner));
        using var other = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("other"), (neighbour, ShopRole.Owner));
        var noodleOwner = app.StaffClient(await app.IssueTokenAsync(noodles.Shop, "owner", TokenScope.Owner));
        var teaStaff = app.StaffClient(await app.IssueTokenAsync(tea.Shop, "counter"));
        var put = await noodleOwner.PutAsJsonAsync(Url(noodles, "loyalty"), new { pointsPerUnit = 1, pointsPerVisit = 0, pointsPerUnitOff = 100, pointsExpireAfterDays = 0, topUpOffers = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // A member of each shop before they are linked; the tea shop's member has money on their balance there.
        using var mei = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(mei, mail, noodles, "mei@example.com", offers: false);
        using var lin = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(lin, mail, tea, "lin@example.com", offers: false);
        var linId = (await MeMemberAsync(teaStaff, tea, "lin@example.com")).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await teaStaff.PostAsJsonAsync(Url(tea, $"members/{linId}/top-ups"), new { amount = 2000 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await mei.Client.GetAsync(Url(tea, "me"))).StatusCode);

        // The neighbour's owner cannot see the link form's shops, and the noodle owner cannot link the neighbour's shop.
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/console/{noodles.Slug}/loyalty")).StatusCode);
        var page = await (await owner.Client.GetAsync($"/console/{noodles.Slug}/loyalty")).Content.ReadAsStringAsync();
        Assert.Contains($"value=\"{tea.Slug}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(neighbour.Slug, page, StringComparison.Ordinal);
        await LinkAsync(owner, noodles, neighbour.Slug);
        Assert.Null(await app.WithDb(null, db => db.Shops.Where(s => s.Id == neighbour.Shop.Id).Select(s => s.ProgrammeShopId).SingleAsync()));

        await LinkAsync(owner, noodles, tea.Slug);
        Assert.Equal(noodles.Shop.Id, await app.WithDb(null, db => db.Shops.Where(s => s.Id == tea.Shop.Id).Select(s => s.ProgrammeShopId).SingleAsync()));

        // Mei, signed in at the noodle bar, is a member at the tea shop too; Lin's balance came along with Lin.
        Assert.Equal(0, (await MeAsync(mei.Client, tea)).GetProperty("balance").GetProperty("amount").GetInt64());
        Assert.Equal(2000, (await MeAsync(lin.Client, noodles)).GetProperty("balance").GetProperty("amount").GetInt64());
        var meiId = (await MeMemberAsync(teaStaff, tea, "mei@example.com")).GetProperty("id").GetInt64();

        // Topped up at the tea shop's counter, spent on noodles; earned on noodles, seen at the tea shop.
        Assert.Equal(HttpStatusCode.OK, (await teaStaff.PostAsJsonAsync(Url(tea, $"members/{meiId}/top-ups"), new { amount = 1000 })).StatusCode);
        var paid = await PlaceRawAsync(mei.Client, noodles, [TestShops.Line(noodles.Cake.Id)], payment: "balance");
        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        var order = (await paid.JsonAsync()).GetProperty("id").GetGuid();
        foreach (var status in new[] { "accepted", "ready", "completed" })
        {
            Assert.Equal(HttpStatusCode.OK, (await noodleOwner.PostAsJsonAsync(Url(noodles, $"orders/{order}/status"), new { status })).StatusCode);
        }
        var atTea = await MeAsync(mei.Client, tea);
        Assert.Equal(550, atTea.GetProperty("balance").GetProperty("amount").GetInt64());
        Assert.Equal(4, atTea.GetProperty("points").GetInt64());

        // Each shop's report counts the money paid in at its own counter; the ledger is the programme's.
        var paidIn = await app.WithDb(null, db => db.Ledger.IgnoreQueryFilters()
            .Where(e => e.Kind == LedgerKind.TopUp).Select(e => new { e.ShopId, e.PlaceShopId, e.Amount }).ToListAsync());
        Assert.All(paidIn, e => Assert.Equal((noodles.Shop.Id, tea.Shop.Id), (e.ShopId, e.PlaceShopId)));
        Assert.Equal(3000, paidIn.Sum(e => e.Amount));
        Assert.Contains("30.00", await (await owner.Client.GetAsync($"/console/{tea.Slug}/reports")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("30.00", await (await owner.Client.GetAsync($"/console/{noodles.Slug}/reports")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Someone joining now agrees to hear from both shops, by name.
        using var newcomer = ConsoleSession.Anonymous(app);
        var join = await (await newcomer.Client.GetAsync($"/s/{tea.Slug}/join")).Content.ReadAsStringAsync();
        Assert.Contains("Noodle Bar, Tea Corner", join, StringComparison.Ordinal);

        // The neighbour's shop shares nothing: Mei is no member there, and its members list is empty.
        Assert.Equal(HttpStatusCode.Unauthorized, (await mei.Client.GetAsync(Url(neighbour, "me"))).StatusCode);
        var neighbourStaff = app.StaffClient(await app.IssueTokenAsync(neighbour.Shop));
        Assert.Equal(0, (await (await neighbourStaff.GetAsync(Url(neighbour, "members"))).JsonAsync()).GetArrayLength());

        // Unlinked, the tea shop starts over; the members and their money stay with the noodle bar.
        await UnlinkAsync(owner, tea, tea.Slug);
        Assert.Equal(HttpStatusCode.Unauthorized, (await mei.Client.GetAsync(Url(tea, "me"))).StatusCode);
        Assert.Equal(550, (await MeAsync(mei.Client, noodles)).GetProperty("balance").GetProperty("amount").GetInt64());
        Assert.Equal(0, (await (await teaStaff.GetAsync(Url(tea, "members"))).JsonAsync()).GetArrayLength());
        await AssertLedgerAsync(app, noodles);
    }

    [Fact]
    public async Task A_shop_whose_member_is_already_a_member_here_by_the_same_address_is_not_linked()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var main = await TestShops.CreateAsync(app);
        var side = await TestShops.CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (main, ShopRole.Owner), (side, ShopRole.Owner));
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, main, "both@example.com", offers: false);
        await MemberSessions.JoinAsync(phone, mail, side, "both@example.com", offers: false, skip: 1);

        var flash = await LinkAsync(owner, main, side.Slug);
        Assert.Contains("same e-mail address", flash, StringComparison.Ordinal);
        Assert.Null(await app.WithDb(null, db => db.Shops.Where(s => s.Id == side.Shop.Id).Select(s => s.ProgrammeShopId).SingleAsync()));
        Assert.Equal(1, await app.WithDb(side.Shop, db => db.Members.CountAsync()));
    }

    private static async Task<JsonElement> MeMemberAsync(HttpClient staff, TestShop shop, string email)
    {
        var found = await (await staff.GetAsync(Url(shop, $"members?q={email}"))).JsonAsync();
        return Assert.Single(found.EnumerateArray());
    }

    /// <summary>Posts the owner's link form and returns the message the page then shows.</summary>
    private static Task<string> LinkAsync(ConsoleSession owner, TestShop shop, string slug) => PostAsync(owner, shop, "Link", slug);

    private static Task<string> UnlinkAsync(ConsoleSession owner, TestShop shop, string slug) => PostAsync(owner, shop, "Unlink", slug);

    private static async Task<string> PostAsync(ConsoleSession owner, TestShop shop, string handler, string slug)
    {
        var page = $"/console/{shop.Slug}/loyalty";
        var posted = await owner.PostFormAsync($"{page}?handler={handler}", new() { ["slug"] = slug }, await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var shown = await (await owner.Client.GetAsync(page)).Content.ReadAsStringAsync();
        return System.Text.RegularExpressions.Regex.Match(shown, "id=\"flash\">([^<]*)<").Groups[1].Value;
    }
}
