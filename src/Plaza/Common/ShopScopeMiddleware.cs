using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Common;

/// <summary>
/// Resolves <c>{shop}</c> into the request's <see cref="ShopScope"/> for every endpoint marked
/// <see cref="IShopScopedEndpoint"/> (<see cref="ShopScopedAttribute"/>, and the console's <c>[StaffOnly]</c> and <c>[OwnerOnly]</c>); an unknown shop is a 404 problem before any handler runs,
/// written by <see cref="RefuseUnknownShop"/> after the request's language is chosen (which a known shop's default takes part in).
/// </summary>
public sealed class ShopScopeMiddleware(RequestDelegate next)
{
    /// <summary>Runs after request localisation: a request for a shop this node does not have ends here, in the asker's language.</summary>
    public static Task RefuseUnknownShop(HttpContext context, RequestDelegate next) =>
        context.RequestServices.GetRequiredService<ShopScope>().UnknownSlug is { } slug
            ? Problems.NotFound(Text.Say("There is no shop '{0}' on this node.", slug)).ExecuteAsync(context)
            : next(context);

    public async Task InvokeAsync(HttpContext context, ShopScope scope, CatalogCache catalogs)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IShopScopedEndpoint>() is not null)
        {
            var slug = context.GetRouteValue("shop") as string;
            var catalog = slug is null ? null : await catalogs.FindAsync(context.RequestServices.GetRequiredService<PlazaDb>, slug, context.RequestAborted);
            if (catalog is null)
            {
                scope.UnknownSlug = slug ?? "";
            }
            else
            {
                scope.Enter(catalog);
            }
        }
        await next(context);
    }
}
