using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

public sealed class OrderEventsTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_event_stream_sends_the_status_now_and_then_each_change(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        var id = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var response = await app.CreateClient().GetAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        Assert.Contains("\"status\":\"placed\"", await SseReader.NextDataAsync(reader, timeout.Token));
        await staff.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "accepted", readyInMinutes = 5 }, timeout.Token);
        Assert.Contains("\"status\":\"accepted\"", await SseReader.NextDataAsync(reader, timeout.Token));
        await staff.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "ready" }, timeout.Token);
        Assert.Contains("\"status\":\"ready\"", await SseReader.NextDataAsync(reader, timeout.Token));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Another_shops_order_has_no_event_stream_under_this_shop(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var a = await CreateAsync(app);
        var b = await CreateAsync(app);
        var ownerOfA = app.StaffClient(await app.IssueTokenAsync(a.Shop, scope: TokenScope.Owner));
        var theirs = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), b, Order(b)))).GetProperty("id").GetGuid();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        foreach (var client in new[] { ownerOfA, app.CreateClient() })
        {
            using var response = await client.GetAsync($"/api/v1/shops/{a.Slug}/orders/{theirs}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await Asserts.ProblemAsync(response, HttpStatusCode.NotFound, "not-found");
        }
        var order = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/shops/{b.Slug}/orders/{theirs}");
        Assert.Equal(("placed", 1), (order.GetProperty("status").GetString(), order.GetProperty("transitions").GetArrayLength()));
    }
}
