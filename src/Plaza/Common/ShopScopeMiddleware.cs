using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Common;

/// <summary>
/// Resolves <c>{shop}</c> into the request's <see cref="ShopScope"/> for every endpoint marked
/// <see cref="ShopScopedAttribute"/>; an unknown shop is a 404 problem before any handler runs.
/// </summary>
public sealed class ShopScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ShopScope scope, PlazaDb db)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ShopScopedAttribute>() is not null)
        {
            var slug = context.GetRouteValue("shop") as string;
            var shop = slug is null ? null : await db.Shops.AsNoTracking()
                .Include(s => s.OpeningHours)
                .Include(s => s.TaxRates)
                .AsSplitQuery()
                .FirstOrDefaultAsync(s => s.Slug == slug, context.RequestAborted);
            if (shop is null)
            {
                await Problems.NotFound($"There is no shop '{slug}' on this node.").ExecuteAsync(context);
                return;
            }
            scope.Enter(shop);
        }
        await next(context);
    }
}
