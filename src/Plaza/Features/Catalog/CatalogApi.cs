using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;
using Plaza.Data;

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

    private static async Task<Ok<MenuResponse>> GetMenu(PlazaDb db, ShopScope scope, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await MenuQuery.LoadAsync(db, scope.Current, clock, ct));
}
