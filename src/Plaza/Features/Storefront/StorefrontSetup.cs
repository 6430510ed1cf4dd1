using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Storefront;

public static class StorefrontSetup
{
    public static IServiceCollection AddStorefront(this IServiceCollection services)
    {
        services.AddSingleton<ItemImages>();
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.AddFolderApplicationModelConvention("/Storefront", m => m.EndpointMetadata.Add(new ShopScopedAttribute()));
            o.Conventions.AddPageRoute("/Storefront/Menu", "/s/{shop}/t/{table}");
        }).AddViewLocalization();
        return services;
    }

    public static WebApplication MapStorefront(this WebApplication app)
    {
        ItemImages.UseItemImages(app);
        app.MapRazorPages();
        app.MapGet("/s/{shop}/manifest.webmanifest", WebManifest.Get)
            .WithMetadata(new ShopScopedAttribute())
            .ExcludeFromDescription();
        return app;
    }
}
