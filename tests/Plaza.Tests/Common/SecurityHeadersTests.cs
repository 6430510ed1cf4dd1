using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Common;

/// <summary>
/// The headers every response carries, compared whole: a policy loosened anywhere (an inline
/// script allowed, another origin, framing) fails here and has to be changed on purpose.
/// </summary>
public sealed class SecurityHeadersTests
{
    private const string Policy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    private static void HasSecurityHeaders(HttpResponseMessage response)
    {
        var url = response.RequestMessage?.RequestUri?.PathAndQuery;
        Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}");
        Assert.Equal([Policy], response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["same-origin"], response.Headers.GetValues("Referrer-Policy"));
        // HSTS belongs to https only (decision 0011); this node is plain http.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), $"{url} sent HSTS over http");
    }

    [Fact]
    public async Task The_storefront_the_console_and_the_api_send_the_exact_security_headers()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var client = app.CreateClient();
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));

        HasSecurityHeaders(await client.GetAsync("/s/demo"));
        HasSecurityHeaders(await client.GetAsync("/s/demo")); // the second one comes from the page cache
        HasSecurityHeaders(await owner.Client.GetAsync($"/console/{shop.Slug}/board"));
        HasSecurityHeaders(await owner.Client.GetAsync($"/console/{shop.Slug}/settings"));
        HasSecurityHeaders(await client.GetAsync("/api/v1/shops/demo/menu"));
    }
}
