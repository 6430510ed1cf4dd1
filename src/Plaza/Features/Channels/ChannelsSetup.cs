namespace Plaza.Features.Channels;

/// <summary>Promotion channels: the links and QR codes a shop prints and shares, and its presence in search.</summary>
public static class ChannelsSetup
{
    public static IServiceCollection AddChannels(this IServiceCollection services)
    {
        services.AddSingleton<OrderLinks>();
        return services;
    }

    public static WebApplication MapChannels(this WebApplication app) => app.MapSearchPresence();
}
