using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Ordering;

/// <summary>The tests share a node per store (<see cref="SharedNodes"/>), each on shops of its own.</summary>
public sealed class LifecycleTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, TestShop shop, Guid id, string status, string? reason = null, int? readyInMinutes = null) =>
        client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status, reason, readyInMinutes });

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_order_moves_from_placed_to_completed_and_each_step_is_recorded(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "counter"));
        var id = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid();

        var accepted = await (await MoveAsync(staff, shop, id, "accepted", readyInMinutes: 10)).JsonAsync();
        Assert.Equal("accepted", accepted.GetProperty("status").GetString());
        Assert.Equal("token:counter", accepted.GetProperty("transitions")[1].GetProperty("actor").GetString());
        Assert.True(accepted.GetProperty("readyAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(9));
        foreach (var status in new[] { "preparing", "ready", "completed" })
        {
            var response = await MoveAsync(staff, shop, id, status);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var order = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/orders/{id}");
        Assert.Equal("completed", order.GetProperty("status").GetString());
        var steps = order.GetProperty("transitions").EnumerateArray().ToList();
        Assert.Equal(["placed", "accepted", "preparing", "ready", "completed"], steps.Select(t => t.GetProperty("status").GetString()));
        Assert.Equal("customer", steps[0].GetProperty("actor").GetString());
        Assert.All(steps.Skip(1), t => Assert.Equal("shop", t.GetProperty("actor").GetString()));
        Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First.GetProperty("at").GetDateTimeOffset() <= p.Second.GetProperty("at").GetDateTimeOffset()));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Illegal_transitions_are_refused_and_change_nothing(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        var id = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid();

        await Asserts.ProblemAsync(await MoveAsync(staff, shop, id, "ready"), HttpStatusCode.Conflict, "illegal-transition");
        await Asserts.ProblemAsync(await MoveAsync(staff, shop, id, "completed"), HttpStatusCode.Conflict, "illegal-transition");
        await Asserts.ProblemAsync(await MoveAsync(staff, shop, id, "placed"), HttpStatusCode.Conflict, "illegal-transition");
        Asserts.HasFieldError(await Asserts.ProblemAsync(await MoveAsync(staff, shop, id, "rejected"), HttpStatusCode.BadRequest, "invalid-request"), "reason");
        Asserts.HasFieldError(await Asserts.ProblemAsync(await MoveAsync(staff, shop, id, "eaten"), HttpStatusCode.BadRequest, "invalid-request"), "status");

        var order = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/orders/{id}");
        Assert.Equal("placed", order.GetProperty("status").GetString());
        Assert.Equal(1, order.GetProperty("transitions").GetArrayLength());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_rejected_order_keeps_its_reason_and_gives_its_stock_back(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop));
        var id = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop, items: [Line(shop.Bun.Id, 3)])))).GetProperty("id").GetGuid();
        Assert.Equal(7, await Asserts.StockAsync(app, shop.Bun.Id));

        var rejected = await (await MoveAsync(staff, shop, id, "rejected", "Oven is broken")).JsonAsync();

        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("Oven is broken", rejected.GetProperty("reason").GetString());
        Assert.Equal(10, await Asserts.StockAsync(app, shop.Bun.Id));
        await Asserts.ProblemAsync(await MoveAsync(staff, shop, id, "accepted"), HttpStatusCode.Conflict, "illegal-transition");
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Status_changes_need_a_live_token_of_the_same_shop(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);
        var id = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid();

        await Asserts.ProblemAsync(await MoveAsync(app.CreateClient(), shop, id, "accepted"), HttpStatusCode.Unauthorized, "unauthorized");
        await Asserts.ProblemAsync(await MoveAsync(app.StaffClient("plz_guessed"), shop, id, "accepted"), HttpStatusCode.Unauthorized, "unauthorized");
        var otherShopsToken = await app.IssueTokenAsync(other.Shop);
        await Asserts.ProblemAsync(await MoveAsync(app.StaffClient(otherShopsToken), shop, id, "accepted"), HttpStatusCode.Unauthorized, "unauthorized");

        var order = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/orders/{id}");
        Assert.Equal("placed", order.GetProperty("status").GetString());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_customer_sees_that_the_shop_moved_the_order_never_the_name_of_the_person_or_token(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var alice = await ConsoleSession.SignedInAsync(app, "Alice@example.com", (shop, ShopRole.Staff));
        var till = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "Alice at the till"));
        var customer = app.CreateClient();
        var id = (await Asserts.CreatedAsync(await PlaceAsync(customer, shop, Order(shop), "alice-key"))).GetProperty("id").GetGuid();
        var board = $"/console/{shop.Slug}/board";

        var accepted = await alice.PostFormAsync($"{board}?handler=Move&id={id}", new() { ["status"] = "accepted" }, await alice.TokenAsync(board));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var preparing = await (await MoveAsync(till, shop, id, "preparing")).JsonAsync();

        // Staff keep the names.
        Assert.Equal(["customer", "Alice", "token:Alice at the till"], preparing.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("actor").GetString()));
        // Whoever holds the order's link does not.
        var order = await customer.GetStringAsync($"/api/v1/shops/{shop.Slug}/orders/{id}");
        Assert.DoesNotContain("Alice", order, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["customer", "shop", "shop"], JsonDocument.Parse(order).RootElement.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("actor").GetString()));
        var replayed = await PlaceAsync(customer, shop, Order(shop), "alice-key");
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.DoesNotContain("Alice", await replayed.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Alice", await customer.GetStringAsync($"/s/{shop.Slug}/orders/{id}"), StringComparison.OrdinalIgnoreCase);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var events = await customer.GetAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(timeout.Token));
        var now = await SseReader.NextDataAsync(reader, timeout.Token);
        Assert.Contains("\"preparing\"", now, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice", now, StringComparison.OrdinalIgnoreCase);
    }
}
