using Plaza.Common;

namespace Plaza.Features.Storefront;

/// <summary>A per-shop PWA manifest, so "add to home screen" opens straight into that shop.</summary>
public static class WebManifest
{
    public static IResult Get(ShopScope scope)
    {
        var shop = scope.Current;
        var manifest = new
        {
            name = shop.Name,
            short_name = shop.Name.Length <= 12 ? shop.Name : shop.Name[..12],
            start_url = $"/s/{shop.Slug}",
            scope = $"/s/{shop.Slug}",
            display = "standalone",
            background_color = "#fffaf3",
            theme_color = "#8a4b1f",
            lang = shop.DefaultLanguage,
            icons = new object[]
            {
                new { src = "/icons/icon-192.png", sizes = "192x192", type = "image/png" },
                new { src = "/icons/icon-512.png", sizes = "512x512", type = "image/png" },
                new { src = "/icons/icon.svg", sizes = "any", type = "image/svg+xml", purpose = "any" },
            },
        };
        return Results.Json(manifest, contentType: "application/manifest+json");
    }
}
