namespace Plaza.Features.Channels;

/// <summary>Promotion channels: the links and QR codes a shop prints and shares.</summary>
public static class ChannelsSetup
{
    public static IServiceCollection AddChannels(this IServiceCollection services)
    {
        services.AddSingleton<OrderLinks>();
        return services;
    }
}
