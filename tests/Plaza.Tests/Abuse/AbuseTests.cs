using System.Net;
using System.Net.Http.Json;
using System.Text;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Abuse;

public sealed class AbuseTests
{
    [Fact]
    public async Task One_client_placing_orders_beyond_the_limit_gets_429_and_no_extra_orders()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:RateLimits:OrdersPerMinute"] = "3");
        var shop = await CreateAsync(app);
        var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await PlaceAsync(client, shop, Order(shop), $"key-{i}")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(3, await Asserts.OrderCountAsync(app));
        var limited = await PlaceAsync(client, shop, Order(shop), "key-9");
        await Asserts.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(limited.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task An_oversized_order_body_is_refused_unread_and_changes_nothing()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var padding = new string(' ', 70 * 1024);
        using var content = new StringContent("{\"type\":\"pickup\"," + padding + "\"items\":[]}", Encoding.UTF8, "application/json");

        var response = await app.CreateClient().PostAsync($"/api/v1/shops/{shop.Slug}/orders", content);

        await Asserts.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
        Assert.Equal(0, await Asserts.OrderCountAsync(app));
    }

    [Fact]
    public async Task One_client_quoting_beyond_the_orders_limit_gets_429()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:RateLimits:OrdersPerMinute"] = "3");
        var shop = await CreateAsync(app);
        var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var quoted = await client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/quote", new { type = "pickup", items = new[] { Line(shop.Cake.Id) } });
            statuses.Add(quoted.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        using var limited = await client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/quote", new { type = "pickup", items = new[] { Line(shop.Cake.Id) } });
        await Asserts.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate-limited");
    }

    [Fact]
    public async Task An_oversized_quote_body_is_refused_unread()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var padding = new string(' ', 65 * 1024);
        using var content = new StringContent("{\"type\":\"pickup\"," + padding + "\"items\":[{\"itemId\":" + shop.Cake.Id + ",\"quantity\":1}]}", Encoding.UTF8, "application/json");

        var response = await app.CreateClient().PostAsync($"/api/v1/shops/{shop.Slug}/quote", content);

        await Asserts.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
    }

    [Fact]
    public async Task An_over_long_idempotency_key_is_refused()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);

        var response = await PlaceAsync(app.CreateClient(), shop, Order(shop), new string('k', 256));

        Asserts.HasFieldError(await Asserts.ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request"), "Idempotency-Key");
        Assert.Equal(0, await Asserts.OrderCountAsync(app));
    }

    [Fact]
    public async Task Errors_never_show_a_stack_trace()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var content = new StringContent("[1,2,3]", Encoding.UTF8, "application/json");

        var response = await app.CreateClient().PostAsync($"/api/v1/shops/{shop.Slug}/orders", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(" at Plaza.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }
}
