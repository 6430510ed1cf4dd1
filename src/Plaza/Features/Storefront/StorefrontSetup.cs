using Plaza.Common;

namespace Plaza.Features.Storefront;

public static class StorefrontSetup
{
    public static IServiceCollection AddStorefront(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Plaza:PageCache").Get<MenuPageCacheOptions>() ?? new());
        services.AddSingleton<MenuPageCache>();
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.AddFolderApplicationModelConvention("/Storefront", m => m.EndpointMetadata.Add(new ShopScopedAttribute()));
            o.Conventions.AddFolderApplicationModelConvention("/Members", m => m.EndpointMetadata.Add(new ShopScopedAttribute()));
            o.Conventions.AddPageRoute("/Storefront/Menu", "/s/{shop}/t/{table}");
            o.Conventions.AddPageApplicationModelConvention("/Storefront/Menu", m => m.EndpointMetadata.Add(new CachedMenuPageAttribute()));
        }).AddViewLocalization().AddMvcOptions(FormBinding.Configure);
        return services;
    }

    /// <summary>Serves menu pages from memory (after the shop scope and the language are known, before the console's sign-in and access checks: a cached page is the same for everyone).</summary>
    public static WebApplication UseStorefront(this WebApplication app)
    {
        app.UseMiddleware<MenuPageCache>();
        return app;
    }

    public static WebApplication MapStorefront(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/s/{shop}/manifest.webmanifest", WebManifest.Get)
            .WithMetadata(new ShopScopedAttribute())
            .ExcludeFromDescription();
        return app;
    }
}
