using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Tests.Infrastructure;

/// <summary>
/// Orders at the demo shop of a <see cref="NodeProcess"/>, told apart by their Idempotency-Key,
/// which is also written into the order's note so the store can be searched for it.
/// </summary>
public static class NodeOrders
{
    public const string OrdersPath = "/api/v1/shops/demo/orders";

    public static HttpClient Client(NodeProcess node) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Two lines of the demo menu without options or stock: two of one item, one of another (JSON).</summary>
    public static async Task<string> ItemsAsync(NodeProcess node)
    {
        using var client = Client(node);
        var menu = await client.GetFromJsonAsync<JsonElement>("/api/v1/shops/demo/menu");
        var plain = menu.GetProperty("categories").EnumerateArray()
            .SelectMany(c => c.GetProperty("items").EnumerateArray())
            .Where(i => i.GetProperty("optionGroups").GetArrayLength() == 0 && i.GetProperty("stock").ValueKind == JsonValueKind.Null)
            .Select(i => i.GetProperty("id").GetInt32())
            .Take(2)
            .ToList();
        return $$"""[{"itemId":{{plain[0]}},"quantity":2},{"itemId":{{plain[1]}},"quantity":1}]""";
    }

    /// <summary>Places (or retries) the order whose key is <paramref name="key"/>; the same key always sends the same body.</summary>
    public static async Task<HttpResponseMessage> PlaceAsync(HttpClient client, string key, string items)
    {
        var json = $$"""{"type":"pickup","items":{{items}},"customer":{"name":"Fault test","phone":"+49 30 1234567"},"note":"{{key}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, OrdersPath) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>Order ids by the key written in their note, straight from the store.</summary>
    public static async Task<Dictionary<string, List<Guid>>> StoredAsync(NodeProcess node)
    {
        await using var db = node.OpenStore();
        var rows = await db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).Select(o => new { o.Note, o.Id }).ToListAsync();
        return rows.GroupBy(r => r.Note ?? "").ToDictionary(g => g.Key, g => g.Select(r => r.Id).ToList());
    }

    /// <summary>No half-written order: each has both lines and its first transition, one key row, and a number unique for its day.</summary>
    public static async Task AssertWholeAsync(NodeProcess node)
    {
        await using var db = node.OpenStore();
        var orders = db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]);
        var orderCount = await orders.CountAsync();
        var lines = await db.OrderLines.IgnoreQueryFilters([PlazaDb.ShopFilter]).GroupBy(l => l.OrderId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(orderCount, lines.Count);
        Assert.All(lines, count => Assert.Equal(2, count));
        Assert.Equal(orderCount, await db.OrderTransitions.IgnoreQueryFilters([PlazaDb.ShopFilter]).Select(t => t.OrderId).Distinct().CountAsync());
        var keys = await db.IdempotencyKeys.IgnoreQueryFilters([PlazaDb.ShopFilter]).Select(k => k.OrderId).ToListAsync();
        Assert.Equal(orderCount, keys.Count);
        Assert.Equal(orderCount, await orders.CountAsync(o => keys.Contains(o.Id)));
        var duplicateNumbers = await orders.GroupBy(o => new { o.ShopId, o.BusinessDay, o.Number }).Where(g => g.Count() > 1).Select(g => g.Key.Number).ToListAsync();
        Assert.Empty(duplicateNumbers);
    }
}
