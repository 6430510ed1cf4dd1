using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>
/// A customer's order read (<c>GET …/orders/{id}</c>) is answered from memory while nothing has been committed to
/// the store since it was made (<see cref="Plaza.Features.Ordering.StatusReads"/>). These prove the memory never
/// outlives a change, wherever the change was made, and never crosses shops.
/// </summary>
public sealed class StatusReadTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_status_moved_by_another_app_process_shows_on_the_next_read(Store store)
    {
        await using var first = await PlazaApp.StartAsync(store);
        await using var second = await PlazaApp.StartAsync(store, configure: a => a.ShareDatabaseWith(first));
        var shop = await CreateAsync(first);
        var customer = first.CreateClient();
        var id = (await Asserts.CreatedAsync(await PlaceAsync(customer, shop, Order(shop)))).GetProperty("id").GetGuid();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("placed", (await ReadAsync(customer, shop.Slug, id)).GetProperty("status").GetString());
        }

        var moved = await second.StaffClient(await second.IssueTokenAsync(shop.Shop))
            .PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "accepted" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var read = await ReadAsync(customer, shop.Slug, id);
        Assert.Equal("accepted", read.GetProperty("status").GetString());
        Assert.Equal(["placed", "accepted"], read.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task An_order_read_in_its_own_shop_is_still_not_found_through_another_shop()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var (mine, other) = (await CreateAsync(app), await CreateAsync(app));
        var customer = app.CreateClient();
        var id = (await Asserts.CreatedAsync(await PlaceAsync(customer, mine, Order(mine)))).GetProperty("id").GetGuid();
        Assert.Equal("placed", (await ReadAsync(customer, mine.Slug, id)).GetProperty("status").GetString());

        await Asserts.ProblemAsync(await customer.GetAsync($"/api/v1/shops/{other.Slug}/orders/{id}"), HttpStatusCode.NotFound, "not-found");
    }

    private static async Task<JsonElement> ReadAsync(HttpClient client, string slug, Guid id)
    {
        using var response = await client.GetAsync($"/api/v1/shops/{slug}/orders/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
