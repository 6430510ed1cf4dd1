using Plaza.Common;
using Plaza.Features.Federation;

namespace Plaza.Features.Nearby;

/// <summary>Nearby: the directory of known shops, on this node and others, and the pages and feeds that read it.</summary>
public static class NearbySetup
{
    public static IServiceCollection AddNearby(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new NearbyOptions();
        configuration.GetSection("Plaza:Nearby").Bind(options);
        services.AddSingleton(options);
        services.AddScoped<ShopDirectory>();
        services.AddScoped<DirectorySubscriptions>();
        services.AddHostedService<DirectoryRefresh>();
        services.AddScoped<IInboxHandler, NearbyInbox>();
        foreach (var verb in DirectoryCommands.Names)
        {
            services.AddCommand(verb, (provider, args, output, error) => DirectoryCommands.RunAsync(provider, verb, args, output, error));
        }
        return services;
    }

    public static WebApplication MapNearby(this WebApplication app)
    {
        app.MapNearbyApi();
        return app;
    }
}
