using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Common;

/// <summary>
/// Resolves <c>{shop}</c> into the request's <see cref="ShopScope"/> for every endpoint marked
/// <see cref="IShopScopedEndpoint"/> (<see cref="ShopScopedAttribute"/>, and the console's <c>[StaffOnly]</c> and <c>[OwnerOnly]</c>); an unknown shop is a 404 problem before any handler runs.
/// </summary>
public sealed class ShopScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ShopScope scope, PlazaDb db, CatalogCache catalogs)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IShopScopedEndpoint>() is not null)
        {
            var slug = context.GetRouteValue("shop") as string;
            var catalog = slug is null ? null : await catalogs.FindAsync(db, slug, context.RequestAborted);
            if (catalog is null)
            {
                await Problems.NotFound($"There is no shop '{slug}' on this node.").ExecuteAsync(context);
                return;
            }
            scope.Enter(catalog);
        }
        await next(context);
    }
}
