using System.Net.Http.Json;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>Two app processes on one PostgreSQL, as behind a load balancer.</summary>
public sealed class MultiProcessEventsTests
{
    [Fact]
    public async Task A_board_on_one_process_sees_orders_placed_and_moved_on_another_within_seconds()
    {
        await using var first = await PlazaApp.StartAsync(Store.Postgres);
        await using var second = await PlazaApp.StartAsync(Store.Postgres, configure: a => a.ShareDatabaseWith(first));
        var shop = await CreateAsync(first);
        using var staff = await ConsoleSession.SignedInAsync(second, "staff@example.com", (shop, ShopRole.Staff));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // well under the 15–20 s safety-net re-reads
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/console/{shop.Slug}/board/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var stream = await staff.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Contains("connected", await SseReader.NextDataAsync(reader, timeout.Token), StringComparison.Ordinal);

        var id = (await Asserts.CreatedAsync(await PlaceAsync(first.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid();
        var placed = await SseReader.NextDataAsync(reader, timeout.Token);
        await first.StaffClient(await first.IssueTokenAsync(shop.Shop)).PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "accepted" }, timeout.Token);
        var accepted = await SseReader.NextDataAsync(reader, timeout.Token);

        Assert.Contains(id.ToString(), placed, StringComparison.Ordinal);
        Assert.Contains("placed", placed, StringComparison.Ordinal);
        Assert.Contains("accepted", accepted, StringComparison.Ordinal);
    }
}
