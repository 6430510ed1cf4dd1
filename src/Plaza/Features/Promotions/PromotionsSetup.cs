using Plaza.Common;

namespace Plaza.Features.Promotions;

/// <summary>Promotions: posts to followers, boosts of other shops' posts, menu changes announced.</summary>
public static class PromotionsSetup
{
    public static IServiceCollection AddPromotions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Publishing>();
        services.AddScoped<Boosts>();
        services.AddScoped<MenuAnnouncements>();
        return services;
    }

    public static WebApplication MapPromotions(this WebApplication app)
    {
        app.MapShopApi("Federation").MapPublishingApi().MapBoostsApi();
        return app;
    }
}
