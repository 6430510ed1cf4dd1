using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Ordering;

/// <summary>Placing orders, their lifecycle and live status: the single order writer, the orders API.</summary>
public static class OrderingSetup
{
    public static IServiceCollection AddOrdering(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<OrderEvents>().AddScoped<PlaceOrder>().AddScoped<ChangeStatus>();
        services.Configure<LiveStreamLimits>(configuration.GetSection("Plaza:Limits")).AddSingleton<LiveStreams>();
        services.AddSingleton(configuration.GetSection("Plaza:Orders").Get<OrderWriterOptions>() ?? new());
        services.AddSingleton<OrderWriter>().AddHostedService(sp => sp.GetRequiredService<OrderWriter>());
        if (configuration.GetValue("Plaza:Database:Provider", StoreProvider.Sqlite) == StoreProvider.Postgres)
        {
            services.AddHostedService<PostgresOrderRelay>();
        }
        return services;
    }

    public static WebApplication MapOrdering(this WebApplication app)
    {
        app.MapShopApi().MapOrdersApi();
        return app;
    }
}
