using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>The tests share a node per store (<see cref="SharedNodes"/>), each with shops and accounts of its own.</summary>
public sealed class MenuEditorTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    private static Dictionary<string, string> ItemForm(TestShop shop, string name, string price, string options = "", string translatedName = "") => new()
    {
        ["Form.Name"] = name,
        ["Form.Price"] = price,
        ["Form.CategoryId"] = shop.Cake.CategoryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Form.TaxCategory"] = "food",
        ["Form.Description"] = "Fresh every morning",
        ["Form.Tags"] = "Vegan, spicy",
        ["Form.Allergens"] = "sesame",
        ["Form.Options"] = options,
        ["Form.TranslatedName"] = translatedName,
    };

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_adds_an_item_with_an_option_group_and_customers_can_order_it(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/menu/items/new";

        var saved = await owner.PostFormAsync(page, ItemForm(shop, "Sesame bagel", "3.20", "Spread(1-1): Butter +0.00 | Hummus +0.80"), await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var menu = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/menu");
        var bagel = menu.GetProperty("categories")[0].GetProperty("items").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "Sesame bagel");
        Assert.Equal(320, bagel.GetProperty("price").GetProperty("amount").GetInt64());
        Assert.Equal(["vegan", "spicy"], bagel.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["sesame"], bagel.GetProperty("allergens").EnumerateArray().Select(t => t.GetString()));
        var hummus = bagel.GetProperty("optionGroups")[0].GetProperty("options")[1];
        Assert.Equal("Hummus", hummus.GetProperty("name").GetString());

        var order = await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop,
            Order(shop, items: [Line(bagel.GetProperty("id").GetInt32(), 1, hummus.GetProperty("id").GetInt32())])));
        Assert.Equal(400, order.GetProperty("total").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task A_bad_price_is_refused_with_a_field_message_and_nothing_is_saved()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/menu/items/new";

        var refused = await owner.PostFormAsync(page, ItemForm(shop, "Free lunch", "three euros", "Broken(2-1): x"), await owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Give a price such as 3.50.", html, StringComparison.Ordinal);
        Assert.Equal(3, await app.WithDb(shop.Shop, db => db.Items.CountAsync()));
    }

    [Fact]
    public async Task A_translated_item_shows_in_chinese_to_a_browser_that_asks_for_zh_CN()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/menu/items/{shop.Cake.Id}";

        var saved = await owner.PostFormAsync(page, ItemForm(shop, "Cake", "4.50", translatedName: "蛋糕"), await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var chinese = app.CreateClient();
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9");
        var english = app.CreateClient();
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-GB");

        Assert.Contains(">蛋糕<", await chinese.GetStringAsync($"/s/{shop.Slug}"), StringComparison.Ordinal);
        var englishPage = await english.GetStringAsync($"/s/{shop.Slug}");
        Assert.Contains(">Cake<", englishPage, StringComparison.Ordinal);
        Assert.DoesNotContain("蛋糕", englishPage, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Categories_options_and_items_translated_on_one_page_show_to_chinese_browsers(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/translations";

        var saved = await owner.PostFormAsync(page, new()
        {
            [$"Category:{shop.Cake.CategoryId}"] = "全部",
            [$"Item:{shop.Coffee.Id}"] = "咖啡",
            [$"Item:{shop.Coffee.Id}:d"] = "现磨",
            [$"OptionGroup:{shop.Size.Id}"] = "杯型",
            [$"Option:{shop.Large.Id}"] = "大杯",
        }, await owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var chinese = app.CreateClient();
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var menu = await chinese.GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/menu");
        var category = menu.GetProperty("categories")[0];
        var coffee = category.GetProperty("items")[0];
        Assert.Equal("全部", category.GetProperty("name").GetString());
        Assert.Equal(("咖啡", "现磨"), (coffee.GetProperty("name").GetString(), coffee.GetProperty("description").GetString()));
        Assert.Equal("杯型", coffee.GetProperty("optionGroups")[0].GetProperty("name").GetString());
        Assert.Equal(["Regular", "大杯"], coffee.GetProperty("optionGroups")[0].GetProperty("options").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        var english = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/shops/{shop.Slug}/menu");
        Assert.Equal("Coffee", english.GetProperty("categories")[0].GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_menu_exports_to_csv_and_imports_back_into_another_shop()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var empty = await CreateAsync(app);
        await app.WithDb(empty.Shop, db => db.Items.ExecuteDeleteAsync());
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner), (empty, ShopRole.Owner));

        var csv = await MenuCsvTests.ExportAsync(owner, shop);
        Assert.Contains("Coffee,", csv, StringComparison.Ordinal);
        Assert.Contains("Size(1-1): Regular +0.00 | Large +0.60", csv, StringComparison.Ordinal);

        var imported = await MenuCsvTests.ImportAsync(owner, empty, csv);
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);

        var menu = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/shops/{empty.Slug}/menu");
        var items = menu.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(["Coffee", "Cake", "Bun"], items.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(10, items[2].GetProperty("stock").GetInt32());
        Assert.Equal(2, items[0].GetProperty("optionGroups").GetArrayLength());
        Assert.Equal(60, items[0].GetProperty("optionGroups")[0].GetProperty("options")[1].GetProperty("priceDelta").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Staff_mark_an_item_sold_out_in_one_tap_and_the_storefront_shows_it()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var stock = $"/console/{shop.Slug}/stock";

        await staff.PostFormAsync($"{stock}?handler=Toggle&id={shop.Cake.Id}", new() { ["soldOut"] = "true" }, await staff.TokenAsync(stock));

        var html = await app.CreateClient().GetStringAsync($"/s/{shop.Slug}");
        Assert.Contains("Sold out", html, StringComparison.Ordinal);
        await Asserts.ProblemAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)), HttpStatusCode.Conflict, "sold-out");
    }
}
