using Plaza.Common;

namespace Plaza.Features.Loyalty;

/// <summary>Points, stored value, coupons and refunds: what brings a shop's members back. Wired by <see cref="Members.MembersSetup"/>.</summary>
public static class LoyaltySetup
{
    public static IServiceCollection AddLoyalty(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Offers>().AddScoped<Refunds>().AddScoped<StoredValue>().AddScoped<CouponBook>().AddScoped<Programmes>();
        services.AddSingleton(configuration.GetSection("Plaza:Loyalty").Get<PointsExpiryOptions>() ?? new());
        services.AddSingleton<PointsExpiry>().AddHostedService(sp => sp.GetRequiredService<PointsExpiry>());
        return services;
    }

    public static IEndpointRouteBuilder MapLoyalty(this IEndpointRouteBuilder app)
    {
        app.MapShopApi("Members").MapLoyaltyApi();
        return app;
    }
}
