using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Plaza.Common;

namespace Plaza.Features.Federation;

/// <summary>
/// The ActivityPub transport: actors, inboxes, delivery, signatures and remote fetch. What an activity
/// means is up to the features, which register an <see cref="IInboxHandler"/>.
/// </summary>
public static class FederationSetup
{
    public static IServiceCollection AddFederation(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new FederationOptions();
        configuration.GetSection("Plaza:Federation").Bind(options);
        options.PublicUrl = PublicOrigin.From(configuration).Url;
        services.AddSingleton(options);
        services.AddSingleton<ActorUrls>();
        services.AddSingleton<Documents>();
        services.AddSingleton<FederationSignal>();
        services.AddSingleton<InboxBounds>();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(InboxBounds.AddressPolicy, http =>
            RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.InboxPerAddressPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
        services.AddScoped<FederationKeys>();
        services.AddScoped<RemoteActors>();
        services.AddFederationHttpClient();
        services.AddHostedService<InboxWorker>();
        services.AddHostedService<DeliveryWorker>();
        services.AddHostedService<HostProbe>();
        return services;
    }

    public static WebApplication MapFederation(this WebApplication app)
    {
        app.MapActivityPub();
        return app;
    }
}
