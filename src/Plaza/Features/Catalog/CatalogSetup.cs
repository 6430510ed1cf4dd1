using Plaza.Data;
using Plaza.Common;

namespace Plaza.Features.Catalog;

/// <summary>Shops, menus and their photos: the menu API and the photo files.</summary>
public static class CatalogSetup
{
    public static IServiceCollection AddCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(s => new CatalogCache(configuration.GetSection("Plaza:CatalogCache").Get<CatalogCacheOptions>() ?? new(), s.GetRequiredService<PlazaMetrics>(), s.GetRequiredService<StoreWrites>()));
        services.AddSingleton<ItemImages>();
        services.AddScoped<MenuImports>();
        return services;
    }

    public static WebApplication MapCatalog(this WebApplication app)
    {
        ItemImages.UseItemImages(app);
        app.MapShopApi().MapCatalogApi();
        return app;
    }
}
