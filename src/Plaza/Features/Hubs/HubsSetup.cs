using Plaza.Features.Federation;

namespace Plaza.Features.Hubs;

/// <summary>Neighbourhood hubs: a shop runs a Group actor that re-shares its members' posts (FEP-1b12).</summary>
public static class HubsSetup
{
    /// <summary>Add before follows: a Follow of a hub's Group is the hub's, not a shop's.</summary>
    public static IServiceCollection AddHubs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<HubOwner>();
        services.AddScoped<IInboxHandler, HubsInbox>();
        return services;
    }

    public static WebApplication MapHubs(this WebApplication app)
    {
        app.MapHubsApi();
        return app;
    }
}
