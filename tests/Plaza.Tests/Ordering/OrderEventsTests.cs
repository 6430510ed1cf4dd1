using System.Net.Http.Json;
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
}
