using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Members;

/// <summary>
/// Customers the shop owns, first slice: joining with a code e-mailed over SMTP to a real server, orders that know
/// their member, the member's page, their data as JSON, and deleting the account with nothing personal left behind.
/// </summary>
public sealed partial class MemberTests
{
    private const string MemberName = "张会员 Zhang Member";
    private const string MemberPhone = "+49 30 7777123";

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_customer_joins_with_an_emailed_code_and_sees_on_their_page_the_orders_placed_while_signed_in(Store store)
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(store, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        using var phone = ConsoleSession.Anonymous(app);

        await MemberSessions.JoinAsync(phone, mail, shop, "Mei@Example.com", offers: true);

        var placed = await PlaceAsync(phone.Client, shop, "same-origin");
        var member = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());
        Assert.Equal("mei@example.com", member.Email);
        Assert.Contains(shop.Shop.Name, member.MarketingConsentText, StringComparison.Ordinal);
        Assert.NotNull(member.MarketingConsentAt);
        Assert.Equal(member.Id, await app.WithDb(shop.Shop, db => db.Orders.Where(o => o.Id == placed).Select(o => o.MemberId).SingleAsync()));

        var page = await phone.Client.GetStringAsync($"/s/{shop.Slug}/me");
        Assert.Contains("mei@example.com", page, StringComparison.Ordinal);
        Assert.Contains($"/s/{shop.Slug}/orders/{placed}", page, StringComparison.Ordinal);
        // "Order again" carries the order's lines as the cart keeps them.
        Assert.Contains($"&quot;itemId&quot;:{shop.Cake.Id},", page, StringComparison.Ordinal);

        // Another site's page cannot place orders as the member (its request says cross-site), and a guest stays a guest.
        var forged = await PlaceAsync(phone.Client, shop, "cross-site");
        using var guest = ConsoleSession.Anonymous(app);
        var guestOrder = await PlaceAsync(guest.Client, shop, "same-origin");
        Assert.Equal(1, await app.WithDb(shop.Shop, db => db.Orders.CountAsync(o => o.MemberId == member.Id)));
        Assert.DoesNotContain(forged.ToString(), await phone.Client.GetStringAsync($"/s/{shop.Slug}/me"), StringComparison.Ordinal);
        Assert.Null(await app.WithDb(shop.Shop, db => db.Orders.Where(o => o.Id == guestOrder).Select(o => o.MemberId).SingleAsync()));

        // Staff mark the order ready: the member hears of it by e-mail.
        var token = await app.IssueTokenAsync(shop.Shop);
        foreach (var status in new[] { "accepted", "ready" })
        {
            Assert.Equal(HttpStatusCode.OK, (await app.StaffClient(token).PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{placed}/status", new { status })).StatusCode);
        }
        var ready = await mail.WaitForAsync("mei@example.com", skip: 1);
        Assert.Contains("is ready", ready.Subject, StringComparison.Ordinal);
        Assert.Contains($"/s/{shop.Slug}/orders/{placed}", ready.TextBody, StringComparison.Ordinal);

        // Signing out ends the membership on this phone.
        var signOut = await phone.PostFormAsync($"/s/{shop.Slug}/me/signout", [], await phone.TokenAsync($"/s/{shop.Slug}/me"));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var after = await phone.Client.GetAsync($"/s/{shop.Slug}/me");
        Assert.Equal($"/s/{shop.Slug}/join", after.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_cached_menu_is_the_same_for_a_member_as_for_a_guest_and_never_sets_the_member_cookie()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "cached@example.com", offers: false);
        using var guest = ConsoleSession.Anonymous(app);

        foreach (var path in new[] { $"/s/{shop.Slug}", $"/api/v1/shops/{shop.Slug}/menu" })
        {
            var asMember = await phone.Client.GetAsync(path);
            var asGuest = await guest.Client.GetAsync(path);
            Assert.False(asMember.Headers.Contains("Set-Cookie"), path);
            var body = await asMember.Content.ReadAsStringAsync();
            Assert.DoesNotContain("cached@example.com", body, StringComparison.Ordinal);
            Assert.Equal(await asGuest.Content.ReadAsStringAsync(), body);
        }
    }

    [Fact]
    public async Task A_code_takes_five_guesses_in_all_and_a_member_of_one_shop_is_not_signed_in_at_another()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        var other = await TestShops.CreateAsync(app);
        using var phone = ConsoleSession.Anonymous(app);

        var (codePage, code) = await MemberSessions.AskCodeAsync(phone, mail, shop, "guess@example.com", offers: false);
        var wrong = code == "000000" ? "111111" : "000000";
        // Five wrong guesses at once share the five tries; then even the right code is refused.
        var guesses = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
            (await phone.PostFormAsync(codePage, new() { ["Code"] = wrong }, await phone.TokenAsync(codePage))).StatusCode));
        Assert.All(guesses, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        var late = await phone.PostFormAsync(codePage, new() { ["Code"] = code }, await phone.TokenAsync(codePage));
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("ask for a new one", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Members.CountAsync()));

        await MemberSessions.JoinAsync(phone, mail, shop, "guess@example.com", offers: false, skip: 1);
        Assert.Equal(HttpStatusCode.OK, (await phone.Client.GetAsync($"/s/{shop.Slug}/me")).StatusCode);
        Assert.Null((await app.WithDb(shop.Shop, db => db.Members.SingleAsync())).MarketingConsentAt);
        var elsewhere = await phone.Client.GetAsync($"/s/{other.Slug}/me");
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal($"/s/{other.Slug}/join", elsewhere.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_export_holds_what_the_shop_knows_and_after_deletion_nothing_personal_of_the_member_is_left()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "leaving@example.com", offers: true);
        var placed = await PlaceAsync(phone.Client, shop, "same-origin");
        // Money on the account and a coupon of their own are part of what the shop holds about them.
        var member = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/members/{member.Id}/top-ups", new { amount = 450 })).StatusCode);
        var coupon = await (await owner.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/coupons", new { name = "Goodbye gift", percentOff = 10 })).JsonAsync();
        var code = (await (await owner.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/coupons/{coupon.GetProperty("id").GetInt32()}/codes", new { memberId = member.Id })).JsonAsync())[0].GetProperty("code").GetString()!;
        // A table booked while signed in carries the member too (as the reserve page records it).
        var booking = Guid.NewGuid();
        await app.WithDb(shop.Shop, async db =>
        {
            var start = DateTime.UtcNow.Date.AddDays(2).AddHours(18);
            db.Reservations.Add(new Plaza.Features.Reservations.Reservation
            {
                Id = booking,
                ShopId = shop.Shop.Id,
                Start = start,
                End = start.AddHours(2),
                PartySize = 2,
                Name = MemberName,
                Phone = MemberPhone,
                Email = "leaving@example.com",
                Note = "window seat for " + MemberName,
                MemberId = member.Id,
                CreatedAt = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        var export = await phone.Client.GetAsync($"/s/{shop.Slug}/me/export");
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        var json = await export.Content.ReadAsStringAsync();
        foreach (var expected in new[] { "leaving@example.com", MemberName, MemberPhone, placed.ToString(), "Send me", "\"TopUp\"", code, "Goodbye gift", booking.ToString(), "window seat" })
        {
            Assert.Contains(expected, json, StringComparison.Ordinal);
        }

        var unconfirmed = await phone.PostFormAsync($"/s/{shop.Slug}/me/delete", [], await phone.TokenAsync($"/s/{shop.Slug}/me"));
        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.StatusCode);
        Assert.Equal(1, await app.WithDb(shop.Shop, db => db.Members.CountAsync()));

        // Their money is theirs: with a balance left the account stays until it is spent or paid back.
        var withBalance = await phone.PostFormAsync($"/s/{shop.Slug}/me/delete", new() { ["confirm"] = "true" }, await phone.TokenAsync($"/s/{shop.Slug}/me"));
        Assert.Equal(HttpStatusCode.Redirect, withBalance.StatusCode);
        Assert.Contains("€4.50", await phone.Client.GetStringAsync($"/s/{shop.Slug}/me"), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDb(shop.Shop, db => db.Members.CountAsync()));
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/members/{member.Id}/adjustments",
            new { account = "balance", amount = -450, reason = "Paid back in cash to " + MemberName })).StatusCode);

        var deleted = await phone.PostFormAsync($"/s/{shop.Slug}/me/delete", new() { ["confirm"] = "true" }, await phone.TokenAsync($"/s/{shop.Slug}/me"));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        // The order stays for the shop's books; no column of any table holds the member's address, name or phone.
        var order = await app.WithDb(shop.Shop, db => db.Orders.SingleAsync(o => o.Id == placed));
        Assert.Equal((string.Empty, string.Empty, (long?)null), (order.CustomerName, order.CustomerPhone, order.MemberId));
        var dump = await AllTextAsync(app);
        foreach (var personal in new[] { "leaving@example.com", MemberName, MemberPhone, code })
        {
            Assert.DoesNotContain(personal, dump, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await phone.Client.GetAsync($"/s/{shop.Slug}/me")).StatusCode);
    }

    /// <summary>Places an order as the checkout page does (fetch, with the browser's Sec-Fetch-Site), with the member's own name and phone.</summary>
    private static async Task<Guid> PlaceAsync(HttpClient client, TestShop shop, string site)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/shops/{shop.Slug}/orders")
        {
            Content = JsonContent.Create(new
            {
                type = "pickup",
                items = new[] { TestShops.Line(shop.Cake.Id) },
                customer = new { name = MemberName, phone = MemberPhone },
                note = "for " + MemberName,
            }),
        };
        request.Headers.Add("Sec-Fetch-Site", site);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Every value of every row of every table, as text.</summary>
    internal static Task<string> AllTextAsync(PlazaApp app) => app.WithDb(null, async db =>
    {
        var text = new System.Text.StringBuilder();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        foreach (var (_, sql) in StoreFingerprint.AllRowQueries(db.Model))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }
            }
        }
        await db.Database.CloseConnectionAsync();
        return text.ToString();
    });
}
