using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Ordering;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>A staff token (a kitchen screen's) reads and moves orders; what the console keeps to owners needs an owner token.</summary>
public sealed class TokenScopeTests
{
    /// <summary>Every owner action the API offers, as (method, path under the shop, body).</summary>
    private static (HttpMethod Method, string Path, object? Body)[] OwnerActions(string note) =>
    [
        (HttpMethod.Post, "promotions", new { text = "Two for one today" }),
        (HttpMethod.Get, "promotions", null),
        (HttpMethod.Post, "following", new { account = "noodles@" + FakePeer.Host }),
        (HttpMethod.Get, "following", null),
        (HttpMethod.Post, "boosts", new { @object = note }),
        (HttpMethod.Get, "boosts", null),
        (HttpMethod.Post, "hubs", new { name = "street", displayName = "Our street" }),
        (HttpMethod.Get, "hubs", null),
        (HttpMethod.Get, "reports/sales?period=today", null),
    ];

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, TestShop shop, (HttpMethod Method, string Path, object? Body) action) =>
        client.SendAsync(new HttpRequestMessage(action.Method, $"/api/v1/shops/{shop.Slug}/{action.Path}")
        {
            Content = action.Body is null ? null : JsonContent.Create(action.Body),
        });

    [Fact]
    public async Task A_staff_token_reads_and_moves_orders_and_is_refused_every_owner_action_an_owner_token_may_do()
    {
        FakePeer? peer = null;
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => peer = FakePeer.For(a));
        var shop = await CreateAsync(app);
        var noodles = peer!.AddActor("noodles");
        var note = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = noodles.Id + "/notes/1",
            ["type"] = "Note",
            ["attributedTo"] = noodles.Id,
            ["content"] = "<p>Dumplings half price</p>",
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
        };
        peer.Publish(note);
        using var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "kitchen"));
        using var owner = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "owner's script", TokenScope.Owner));
        var id = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/v1/shops/{shop.Slug}/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "accepted" })).StatusCode);
        foreach (var action in OwnerActions(note["id"]!.GetValue<string>()))
        {
            var problem = await Asserts.ProblemAsync(await SendAsync(staff, shop, action), HttpStatusCode.Forbidden, "forbidden");
            Assert.Contains("owner token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal((0, 0, 0, 0), await app.WithDb(shop.Shop, async db =>
            (await db.Promotions.CountAsync(), await db.Followings.CountAsync(), await db.Boosts.CountAsync(), await db.Hubs.CountAsync())));

        foreach (var action in OwnerActions(note["id"]!.GetValue<string>()))
        {
            var response = await SendAsync(owner, shop, action);
            Assert.True(response.IsSuccessStatusCode, $"owner {action.Method} {action.Path} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "preparing" })).StatusCode);
    }

    [Fact]
    public async Task The_tokens_page_makes_a_staff_token_unless_the_owner_chooses_owner()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var console = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, Plaza.Features.Console.ShopRole.Owner));
        var page = $"/console/{shop.Slug}/tokens";

        foreach (var (name, scope) in new[] { ("kitchen", (string?)null), ("till", "Staff"), ("script", "Owner") })
        {
            var fields = new Dictionary<string, string> { ["name"] = name };
            if (scope is not null)
            {
                fields["scope"] = scope;
            }
            Assert.Equal(HttpStatusCode.OK, (await console.PostFormAsync(page + "?handler=Create", fields, await console.TokenAsync(page))).StatusCode);
        }

        var scopes = await app.WithDb(shop.Shop, db => db.ApiTokens.OrderBy(t => t.Id).Select(t => t.Scope).ToListAsync());
        Assert.Equal([TokenScope.Staff, TokenScope.Staff, TokenScope.Owner], scopes);
    }
}
