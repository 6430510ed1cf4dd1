using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>The tables editor: a new shop adds its tables, names them, retires one, and each code takes orders.</summary>
/// <remarks>The tests share a node per store (<see cref="SharedNodes"/>), each with shops and accounts of its own.</remarks>
public sealed class TablesTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    [Theory]
    [InlineData("1-3", new[] { "1", "2", "3" })]
    [InlineData("１－１２", new[] { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12" })]
    [InlineData("A1 - A3", new[] { "A1", "A2", "A3" })]
    [InlineData("01–03", new[] { "01", "02", "03" })]
    [InlineData("1~2, vip、garden-2；包间1", new[] { "1", "2", "vip", "garden-2", "包间1" })]
    [InlineData("3至4，3", new[] { "3", "4" })]
    public void Codes_are_read_as_lists_and_ranges_from_either_keyboard(string input, string[] expected) =>
        Assert.Equal(expected, TableCodes.Parse(input).Codes);

    [Theory]
    [InlineData("")]
    [InlineData("5-1")]
    [InlineData("1-500")]
    [InlineData("A1-B3")]
    [InlineData("a/b")]
    [InlineData("<script>")]
    public void Input_that_names_no_table_is_refused(string input)
    {
        var (codes, error) = TableCodes.Parse(input);
        Assert.Empty(codes);
        Assert.NotNull(error);
    }

    [Fact]
    public void Codes_sort_as_people_count() =>
        Assert.Equal(["1", "2", "10", "A2", "A10", "vip"], "10 A10 vip 2 A2 1".Split(' ').Order(TableCodes.Natural));

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_adds_tables_1_to_8_and_a_customer_orders_at_table_3(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/tables";

        var added = await owner.PostFormAsync($"{page}?handler=Add",
            new() { ["Add.Codes"] = "1-8", ["Add.Seats"] = "4", ["Add.Area"] = "Terrace" }, await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var tables = await app.WithDb(null, db => db.Tables.IgnoreQueryFilters().Where(t => t.ShopId == shop.Shop.Id).ToListAsync());
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8"], tables.Select(t => t.Code).Order(TableCodes.Natural));
        // Table 7 was there before: kept as it was, not overwritten.
        Assert.All(tables, t => Assert.Equal(t.Code == "7" ? (0, "Table 7", "") : (4, $"Table {t.Code}", "Terrace"), (t.Seats, t.Name, t.Area)));
        var html = await owner.Client.GetStringAsync(page);
        Assert.Contains("Added 7 tables; 7 existed already.", html, StringComparison.Ordinal);
        Assert.Contains($"http://localhost/s/{shop.Slug}/t/3", html, StringComparison.Ordinal);
        Assert.Contains($"/console/{shop.Slug}/codes/table/3", html, StringComparison.Ordinal);

        var customer = app.CreateClient();
        Assert.Contains("Table 3", await customer.GetStringAsync($"/s/{shop.Slug}/t/3"), StringComparison.Ordinal);
        var order = await (await PlaceAsync(customer, shop, Order(shop, "dineIn", table: "3"))).JsonAsync();
        Assert.Equal("3", order.GetProperty("table").GetString());
    }

    [Fact]
    public async Task A_chinese_shop_names_its_new_tables_in_chinese_whatever_the_consoles_language()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app, s => s.DefaultLanguage = "zh-Hans");
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/tables";

        await owner.PostFormAsync($"{page}?handler=Add", new() { ["Add.Codes"] = "1，2" }, await owner.TokenAsync(page));

        Assert.Equal(["1号桌", "2号桌"], await app.WithDb(null, db => db.Tables.IgnoreQueryFilters()
            .Where(t => t.ShopId == shop.Shop.Id && t.Code != "7").OrderBy(t => t.Code).Select(t => t.Name).ToListAsync()));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Bad_codes_and_seats_are_refused_with_the_reason_and_add_nothing(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/tables";

        var range = await owner.PostFormAsync($"{page}?handler=Add", new() { ["Add.Codes"] = "1-500" }, await owner.TokenAsync(page));
        var seats = await owner.PostFormAsync($"{page}?handler=Add", new() { ["Add.Codes"] = "9", ["Add.Seats"] = "-2" }, await owner.TokenAsync(page));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (range.StatusCode, seats.StatusCode));
        Assert.Contains("should count up, 200 tables at most", await range.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Seats are 0–100", await seats.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["7"], await app.WithDb(null, db => db.Tables.IgnoreQueryFilters().Where(t => t.ShopId == shop.Shop.Id).Select(t => t.Code).ToListAsync()));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_retired_table_takes_no_new_orders_and_its_old_orders_keep_it_until_it_is_restored(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var customer = app.CreateClient();
        var before = await (await PlaceAsync(customer, shop, Order(shop, "dineIn"))).JsonAsync();
        var page = $"/console/{shop.Slug}/tables";

        var retired = await owner.PostFormAsync($"{page}?handler=Retire&id={shop.Table.Id}", [], await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, retired.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/s/{shop.Slug}/t/7")).StatusCode);
        Asserts.HasFieldError(await Asserts.ProblemAsync(await PlaceAsync(customer, shop, Order(shop, "dineIn")), HttpStatusCode.BadRequest, "invalid-request"), "table");
        var old = await (await customer.GetAsync($"/api/v1/shops/{shop.Slug}/orders/{before.GetProperty("id").GetString()}")).JsonAsync();
        Assert.Equal("7", old.GetProperty("table").GetString());
        Assert.Contains("id=\"retired-tables\"", await owner.Client.GetStringAsync(page), StringComparison.Ordinal);

        await owner.PostFormAsync($"{page}?handler=Restore&id={shop.Table.Id}", [], await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Created, (await PlaceAsync(customer, shop, Order(shop, "dineIn"))).StatusCode);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_renames_a_table_but_cannot_touch_another_shops_table_by_its_id(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/tables";
        var edit = new Dictionary<string, string> { ["name"] = "Window seat", ["seats"] = "2", ["area"] = "Window" };

        var mine = await owner.PostFormAsync($"{page}?handler=Save&id={shop.Table.Id}", new(edit), await owner.TokenAsync(page));
        var theirs = await owner.PostFormAsync($"{page}?handler=Save&id={other.Table.Id}", new(edit), await owner.TokenAsync(page));
        var retireTheirs = await owner.PostFormAsync($"{page}?handler=Retire&id={other.Table.Id}", [], await owner.TokenAsync(page));

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (mine.StatusCode, theirs.StatusCode, retireTheirs.StatusCode));
        var stored = await app.WithDb(null, db => db.Tables.IgnoreQueryFilters().Where(t => t.Id == shop.Table.Id || t.Id == other.Table.Id).OrderBy(t => t.ShopId == shop.Shop.Id ? 0 : 1).ToListAsync());
        Assert.Equal(("Window seat", 2, "Window"), (stored[0].Name, stored[0].Seats, stored[0].Area));
        Assert.Equal(("Table 7", 0, "", false), (stored[1].Name, stored[1].Seats, stored[1].Area, stored[1].Retired));
        Assert.Contains("Window seat", await app.CreateClient().GetStringAsync($"/s/{shop.Slug}/t/7"), StringComparison.Ordinal);
    }
}
