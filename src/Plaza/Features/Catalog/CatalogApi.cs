using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;

namespace Plaza.Features.Catalog;

public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapGet("/menu", GetMenu)
            .WithName("GetMenu")
            .WithSummary("The shop's menu: categories, items with prices in minor units, option groups, sold-out flags.");
        return shopGroup;
    }

    private static Ok<MenuResponse> GetMenu(ShopScope scope, TimeProvider clock) =>
        TypedResults.Ok(MenuQuery.Build(scope.Catalog, clock));
}
