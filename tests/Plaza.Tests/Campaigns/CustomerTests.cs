using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Campaigns;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using Plaza.Tests.Members;

namespace Plaza.Tests.Campaigns;

/// <summary>
/// Who a customer is: a member, or a guest known by their phone within the shop, however they typed it. Each customer's
/// roll-up (orders, spend, first and last order, first channel) equals what their orders say after orders complete, are
/// refunded in part or in full, or are cancelled; a guest who later orders as a member with that phone is one customer.
/// </summary>
public sealed class CustomerTests
{
    private const string Mei = "+8613800138000";

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_roll_up_equals_the_orders_after_completions_refunds_and_cancellations_and_one_phone_typed_three_ways_is_one_customer(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await TestShops.CreateAsync(app);
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        var guest = app.CreateClient();

        // Mei types her number three ways (the shop is in China, so a number without +86 is read as Chinese).
        var spaced = await PlaceAsync(guest, shop, "138 0013 8000");
        var dashed = await PlaceAsync(guest, shop, "+86 138-0013-8000");
        var fullWidth = await PlaceAsync(guest, shop, "１３８００１３８０００");
        var halfRefunded = await PlaceAsync(guest, shop, "13800138000");
        var cancelled = await PlaceAsync(guest, shop, "13800138000");
        var other = await PlaceAsync(guest, shop, "139 1234 5678");
        var noPhone = await PlaceAsync(guest, shop, "000 000");
        foreach (var order in new[] { spaced, dashed, fullWidth, halfRefunded, other, noPhone })
        {
            await CompleteAsync(owner, shop, order);
        }
        await MoveAsync(owner, shop, cancelled, "cancelled", "Out of cake");
        // Completed, then refunded: 1.00 of one order, all of another (which then no longer counts).
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync(Url(shop, $"orders/{halfRefunded}/refunds"), new { amount = 100, reason = "Cold" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync(Url(shop, $"orders/{fullWidth}/refunds"), new { reason = "Dropped" })).StatusCode);

        var customers = await app.WithDb(shop.Shop, db => db.Customers.AsNoTracking().OrderBy(c => c.Id).ToListAsync());
        Assert.Equal([Mei, "+8613912345678"], customers.Select(c => c.Phone));
        var orders = await app.WithDb(shop.Shop, db => db.Orders.AsNoTracking().ToListAsync());
        // The cake is 4.50: Mei's counted orders are the two typed with spaces and dashes and the one refunded by 1.00.
        var mei = customers[0];
        Assert.Equal((3, 450 + 450 + 350L), (mei.Orders, mei.Spend));
        foreach (var customer in customers)
        {
            // What the roll-up holds is what a query over the raw orders says.
            var own = orders.Where(o => o.CustomerId == customer.Id
                && (o.Status == OrderStatus.Completed || (o.Status == OrderStatus.Refunded && o.RefundedTotal < o.Total))).ToList();
            Assert.Equal(own.Count, customer.Orders);
            Assert.Equal(own.Sum(o => o.Total - o.RefundedTotal), customer.Spend);
            Assert.Equal(own.Min(o => o.PlacedAt), customer.FirstOrderAt);
            Assert.Equal(own.Max(o => o.PlacedAt), customer.LastOrderAt);
        }
        // The fully refunded order stays Mei's, the cancelled one never was anyone's, and a guest without a valid number is no one.
        Assert.Equal(mei.Id, orders.Single(o => o.Id == fullWidth).CustomerId);
        Assert.Null(orders.Single(o => o.Id == cancelled).CustomerId);
        Assert.Null(orders.Single(o => o.Id == noPhone).CustomerId);

        // The owner's segments page: two customers, one came back; Mei spent most, the other is new.
        using var console = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, Plaza.Features.Console.ShopRole.Owner));
        using var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await console.Client.GetStringAsync($"/console/{shop.Slug}/segments"));
        Assert.Equal("2", page.QuerySelector("#customers td")!.TextContent);
        Assert.StartsWith("1 (50", page.QuerySelector("#repeat")!.TextContent, StringComparison.Ordinal);
        string Count(string segment) => page.QuerySelector($"tr[data-segment={segment}] td:nth-child(2)")!.TextContent;
        Assert.Equal(("1", "1", "0"), (Count("big-spenders"), Count("new"), Count("lapsed")));
    }

    [Fact]
    public async Task A_guest_who_later_orders_as_a_member_with_the_same_phone_is_one_customer_and_a_deleted_member_leaves_no_trace_on_it()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => mail.Configure(a.Settings));
        var shop = await TestShops.CreateAsync(app);
        var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner", TokenScope.Owner));
        await CompleteAsync(owner, shop, await PlaceAsync(app.CreateClient(), shop, "138 0013 8000"));

        // She joins by e-mail (no phone on the membership) and orders signed in, typing her phone at checkout.
        using var phone = ConsoleSession.Anonymous(app);
        await MemberSessions.JoinAsync(phone, mail, shop, "mei@example.com", offers: false);
        await CompleteAsync(owner, shop, await PlaceAsync(phone.Client, shop, "+86 138 0013 8000"));
        var member = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());
        var customer = await app.WithDb(shop.Shop, db => db.Customers.SingleAsync());
        Assert.Equal((member.Id, Mei, 2), (customer.MemberId, customer.Phone, customer.Orders));

        // A member who joins with a passkey and a phone takes over the guest with that phone at once, before ordering again.
        await CompleteAsync(owner, shop, await PlaceAsync(app.CreateClient(), shop, "139 1234 5678"));
        var joined = await app.WithDb(shop.Shop, async db =>
        {
            var other = new Plaza.Features.Members.Member { ShopId = shop.Shop.Id, Phone = "+8613912345678", Language = "zh-CN", SecurityStamp = "s" };
            db.Members.Add(other);
            await db.SaveChangesAsync();
            await CustomerBook.JoinedAsync(db, [shop.Shop.Id], other, CancellationToken.None);
            return other.Id;
        });
        Assert.Equal(joined, await app.WithDb(shop.Shop, db => db.Customers.Where(c => c.Phone == "+8613912345678").Select(c => c.MemberId).SingleAsync()));

        // Deleting her account keeps the shop's figures but nothing that names her.
        var delete = await phone.PostFormAsync($"/s/{shop.Slug}/me/delete", new() { ["confirm"] = "true" }, await phone.TokenAsync($"/s/{shop.Slug}/me"));
        Assert.True(delete.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"delete → {(int)delete.StatusCode}");
        var kept = await app.WithDb(shop.Shop, db => db.Customers.SingleAsync(c => c.Id == customer.Id));
        Assert.Equal((null, null, 2), (kept.MemberId, kept.Phone, kept.Orders));
    }

    private static string Url(TestShop shop, string path) => $"/api/v1/shops/{shop.Slug}/{path}";

    private static async Task<Guid> PlaceAsync(HttpClient client, TestShop shop, string phone)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(shop, "orders"))
        {
            Content = JsonContent.Create(new { type = "pickup", items = new[] { TestShops.Line(shop.Cake.Id) }, customer = new { name = "Mei", phone } }),
        };
        // The storefront's own script sends this; a member's cookie counts only on same-origin requests.
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        var order = await Asserts.CreatedAsync(await client.SendAsync(request));
        return order.GetProperty("id").GetGuid();
    }

    private static async Task CompleteAsync(HttpClient owner, TestShop shop, Guid order)
    {
        foreach (var status in new[] { "accepted", "ready", "completed" })
        {
            await MoveAsync(owner, shop, order, status);
        }
    }

    private static async Task MoveAsync(HttpClient owner, TestShop shop, Guid order, string status, string? reason = null)
    {
        var moved = await owner.PostAsJsonAsync(Url(shop, $"orders/{order}/status"), new { status, reason });
        Assert.True(moved.IsSuccessStatusCode, $"{status}: {(int)moved.StatusCode} {await moved.Content.ReadAsStringAsync()}");
    }
}
