namespace Plaza.Features.Channels;

/// <summary>Promotion channels: the links and QR codes a shop prints and shares, what each brings, and its presence in search.</summary>
public static class ChannelsSetup
{
    public static IServiceCollection AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<OrderLinks>();
        services.AddSingleton<ChannelDirectory>();
        services.Configure<ChannelVisitOptions>(configuration.GetSection("Plaza:Channels"));
        services.AddSingleton<ChannelVisits>();
        services.AddHostedService(s => s.GetRequiredService<ChannelVisits>());
        return services;
    }

    public static WebApplication MapChannels(this WebApplication app) => app.MapSearchPresence().MapTrackedLinks().MapSharePoster();
}
