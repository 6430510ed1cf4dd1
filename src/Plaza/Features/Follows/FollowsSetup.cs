using Plaza.Common;
using Plaza.Features.Federation;

namespace Plaza.Features.Follows;

/// <summary>Follows: who follows each shop (held for approval, blocked) and whom each shop follows.</summary>
public static class FollowsSetup
{
    public static IServiceCollection AddFollows(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<FollowActions>();
        services.AddScoped<IInboxHandler, FollowsInbox>();
        return services;
    }

    public static WebApplication MapFollows(this WebApplication app)
    {
        app.MapShopApi("Federation").MapFollowsApi();
        return app;
    }
}
