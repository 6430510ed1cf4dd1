namespace Plaza.Common;

public static class ShopApi
{
    /// <summary>A group under <c>/api/v1/shops/{shop}</c> whose requests act for that shop (its scope entered first).</summary>
    public static RouteGroupBuilder MapShopApi(this IEndpointRouteBuilder app, string tag = "Shops") =>
        app.MapGroup("/api/v1/shops/{shop}").WithMetadata(new ShopScopedAttribute()).WithTags(tag);
}
