using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Tests.Infrastructure;

public static class Asserts
{
    /// <summary>Asserts an RFC 9457 problem with Plaza's type URN, and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("urn:plaza:problem:" + code, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    public static void HasFieldError(JsonElement problem, string field) =>
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _),
            $"Expected a field error for '{field}' in {problem}");

    public static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Counts every order on the node, across shops, straight from the store.</summary>
    public static Task<int> OrderCountAsync(PlazaApp app) =>
        app.WithDb(null, db => db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync());

    public static Task<int?> StockAsync(PlazaApp app, int itemId) =>
        app.WithDb(null, db => db.Items.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(i => i.Id == itemId).Select(i => i.Stock).SingleAsync());
}
