using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Plaza.Common;

namespace Plaza.Features.Catalog;

public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapGet("/menu", GetMenu)
            .WithName("GetMenu")
            .WithSummary("The shop's menu: categories, items with prices in minor units, option groups, sold-out flags.")
            .Produces<MenuResponse>(StatusCodes.Status200OK, "application/json");
        return shopGroup;
    }

    /// <summary>The same JSON as serialising the menu each time, written once per catalog snapshot, language and open/paused state.</summary>
    private static IResult GetMenu(ShopScope scope, TimeProvider clock, IOptions<JsonOptions> json)
    {
        var menu = MenuQuery.Build(scope.Catalog, clock);
        var body = scope.Catalog.MenuJson(menu, MenuQuery.LanguageOf(System.Globalization.CultureInfo.CurrentUICulture),
            m => JsonSerializer.SerializeToUtf8Bytes(m, json.Value.SerializerOptions));
        return Results.Bytes(body, "application/json; charset=utf-8");
    }
}
