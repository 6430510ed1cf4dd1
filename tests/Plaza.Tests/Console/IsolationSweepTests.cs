using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Console;

/// <summary>
/// Every console route, found from the app's own endpoint table (a new route is swept without
/// editing this test), tried as a stranger, as staff of shop A reaching for shop B, and as staff
/// asking for owner-only pages. All are refused and no row anywhere changes.
/// </summary>
public sealed class IsolationSweepTests
{
    private sealed record Route(string Pattern, IReadOnlyList<(string Method, string? Handler)> Calls, bool OwnerOnly);

    private static List<Route> ConsoleRoutes(PlazaApp app)
    {
        var routes = new List<Route>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<ConsoleShopAttribute>() is null)
            {
                continue;
            }
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var page = endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>();
            IReadOnlyList<(string, string?)> calls = page is null
                ? [.. (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, (string?)null))]
                : [("GET", null), .. page.HandlerMethods.Select(h => (h.HttpMethod.ToUpperInvariant(), h.Name))];
            routes.Add(new Route(pattern, calls, endpoint.Metadata.GetMetadata<OwnerOnlyAttribute>() is not null));
        }
        return routes;
    }

    /// <summary>A fingerprint of every row of one shop that a console action could change.</summary>
    private static Task<string> StateAsync(PlazaApp app, int shopId) => app.WithDb(null, async db =>
    {
        var text = new StringBuilder();
        foreach (var i in await db.Items.IgnoreQueryFilters().Where(i => i.ShopId == shopId).OrderBy(i => i.Id).ToListAsync())
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i.Id}|{i.Name}|{i.Price}|{i.SoldOut}|{i.Stock}|{i.Position}|{i.CategoryId};");
        }
        foreach (var c in await db.Categories.IgnoreQueryFilters().Where(c => c.ShopId == shopId).OrderBy(c => c.Id).ToListAsync())
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{c.Id}|{c.Name}|{c.Position};");
        }
        foreach (var o in await db.Orders.IgnoreQueryFilters().Where(o => o.ShopId == shopId).OrderBy(o => o.Id).ToListAsync())
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{o.Id}|{o.Status};");
        }
        foreach (var s in await db.Shops.Where(s => s.Id == shopId).ToListAsync())
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{s.Id}|{s.Name}|{s.PausedUntil}|{s.AutoAccept}|{s.Currency};");
        }
        text.Append(await db.OptionGroups.IgnoreQueryFilters().CountAsync(x => x.ShopId == shopId)).Append('|')
            .Append(await db.Memberships.IgnoreQueryFilters().CountAsync(x => x.ShopId == shopId)).Append('|')
            .Append(await db.Invitations.IgnoreQueryFilters().CountAsync(x => x.ShopId == shopId)).Append('|')
            .Append(await db.MenuTranslations.IgnoreQueryFilters().CountAsync(x => x.ShopId == shopId)).Append('|')
            .Append(string.Join(',', await db.ApiTokens.IgnoreQueryFilters().Where(t => t.ShopId == shopId).OrderBy(t => t.Id).Select(t => t.Id + ":" + t.RevokedAt).ToListAsync()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    });

    private static Dictionary<string, string> Fields(string id) => new()
    {
        ["id"] = id,
        ["status"] = "accepted",
        ["reason"] = "x",
        ["readyInMinutes"] = "5",
        ["soldOut"] = "true",
        ["stock"] = "0",
        ["name"] = "Taken over",
        ["by"] = "1",
        ["minutes"] = "30",
        ["role"] = "Owner",
        ["Form.Name"] = "Taken over",
        ["Form.Price"] = "0.01",
        ["Form.Currency"] = "XAU",
        ["Form.TimeZone"] = "UTC",
    };

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Every_console_route_refuses_strangers_other_shops_staff_and_staff_on_owner_pages(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shopA = await CreateAsync(app);
        var shopB = await CreateAsync(app);
        var orderB = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shopB, Order(shopB)))).GetProperty("id").GetString()!;
        await app.IssueTokenAsync(shopB.Shop, "b-token");
        using var staffA = await ConsoleSession.SignedInAsync(app, "staff-a@example.com", (shopA, ShopRole.Staff));
        using var ownerB = await ConsoleSession.SignedInAsync(app, "owner-b@example.com", (shopB, ShopRole.Owner));
        using var stranger = ConsoleSession.Anonymous(app);
        var bIds = await app.WithDb(null, async db => new[]
        {
            shopB.Bun.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await db.Categories.IgnoreQueryFilters().FirstAsync(c => c.ShopId == shopB.Shop.Id)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await db.ApiTokens.IgnoreQueryFilters().FirstAsync(t => t.ShopId == shopB.Shop.Id)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await db.Memberships.IgnoreQueryFilters().FirstAsync(m => m.ShopId == shopB.Shop.Id)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            orderB,
        });
        var tokenA = await staffA.TokenAsync($"/console/{shopA.Slug}/board");
        var routes = ConsoleRoutes(app);
        Assert.True(routes.Count >= 8, $"Expected the console's routes, found {routes.Count}.");
        Assert.Contains(routes, r => r.OwnerOnly);
        var beforeB = await StateAsync(app, shopB.Shop.Id);
        var tried = 0;

        foreach (var route in routes)
        {
            foreach (var (method, handler) in route.Calls)
            {
                foreach (var id in bIds)
                {
                    string Url(TestShop shop) => route.Pattern.Replace("{shop}", shop.Slug, StringComparison.Ordinal)
                        .Replace("{id}", id, StringComparison.Ordinal).Replace("{id:guid}", id, StringComparison.Ordinal)
                        + $"?id={id}" + (handler is null ? "" : $"&handler={handler}");

                    // (a) a stranger
                    var response = await Send(stranger, method, Url(shopB), null);
                    Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect
                        && (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location!.ToString().Contains("/console/sign-in", StringComparison.Ordinal)),
                        $"stranger {method} {Url(shopB)} → {(int)response.StatusCode}");

                    // (b) staff of A naming shop B, and naming shop A with B's ids
                    response = await Send(staffA, method, Url(shopB), tokenA);
                    Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"staff of A {method} {Url(shopB)} → {(int)response.StatusCode}");
                    if (route.OwnerOnly)
                    {
                        // (c) staff on an owner-only page of their own shop: refused before the handler, so A stays as it was.
                        var beforeA = await StateAsync(app, shopA.Shop.Id);
                        response = await Send(staffA, method, Url(shopA), tokenA);
                        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"staff {method} {Url(shopA)} → {(int)response.StatusCode}");
                        Assert.Equal(beforeA, await StateAsync(app, shopA.Shop.Id));
                    }
                    else
                    {
                        // Staff pages of A with B's ids: whatever the handler does, it cannot reach B (checked below).
                        await Send(staffA, method, Url(shopA), tokenA);
                    }
                    tried++;
                }
            }
        }

        Assert.Equal(beforeB, await StateAsync(app, shopB.Shop.Id));
        Assert.True(tried > 50, $"Only {tried} calls were swept.");
        // The owner of B still sees B's console: the refusals above were about who asked, not a broken page.
        Assert.Equal(HttpStatusCode.OK, (await ownerB.Client.GetAsync($"/console/{shopB.Slug}/menu")).StatusCode);
    }

    private static async Task<HttpResponseMessage> Send(ConsoleSession session, string method, string url, string? token)
    {
        if (method != "GET")
        {
            return await session.PostFormAsync(url, Fields(url.Split("id=")[1].Split('&')[0]), token);
        }
        // Headers only: an allowed event stream would otherwise never end.
        var response = await session.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.Dispose();
        return response;
    }
}
