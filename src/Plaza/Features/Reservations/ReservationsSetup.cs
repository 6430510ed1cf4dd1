using Plaza.Common;

namespace Plaza.Features.Reservations;

/// <summary>Table reservations: availability, booking, the guest's pages and e-mails. Wired by <see cref="Ordering.OrderingSetup"/>.</summary>
public static class ReservationsSetup
{
    public static IServiceCollection AddReservations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Bookings>().AddScoped<Floor>().AddScoped<ReservationMail>().AddSingleton<ReservationEvents>();
        services.AddSingleton(configuration.GetSection("Plaza:Reservations:Reminders").Get<ReminderOptions>() ?? new());
        services.AddSingleton<Reminders>().AddHostedService(sp => sp.GetRequiredService<Reminders>());
        return services;
    }

    public static IEndpointRouteBuilder MapReservations(this IEndpointRouteBuilder app)
    {
        app.MapShopApi("Reservations").MapReservationsApi();
        app.MapGet("/console/{shop}/reservations/events", TimelineEvents.Stream)
            .WithMetadata(new Console.StaffOnlyAttribute())
            .ExcludeFromDescription();
        return app;
    }
}
