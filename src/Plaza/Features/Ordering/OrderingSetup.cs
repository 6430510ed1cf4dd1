using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Reservations;

namespace Plaza.Features.Ordering;

/// <summary>Placing orders, their lifecycle and live status: the single order writer, the orders API; and table reservations (<see cref="ReservationsSetup"/>), which share its idempotency and its live board.</summary>
public static class OrderingSetup
{
    public static IServiceCollection AddOrdering(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<OrderEvents>().AddSingleton<StatusReads>().AddScoped<PlaceOrder>().AddScoped<ChangeStatus>().AddReservations(configuration);
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
        app.MapReservations();
        return app;
    }
}
