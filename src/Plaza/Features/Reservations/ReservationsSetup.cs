using Plaza.Common;

namespace Plaza.Features.Reservations;

/// <summary>Table reservations: availability, booking, the guest's pages and e-mails. Wired by <see cref="Ordering.OrderingSetup"/>.</summary>
public static class ReservationsSetup
{
    public static IServiceCollection AddReservations(this IServiceCollection services)
    {
        services.AddScoped<Bookings>().AddScoped<ReservationMail>().AddSingleton<ReservationEvents>();
        return services;
    }

    public static IEndpointRouteBuilder MapReservations(this IEndpointRouteBuilder app)
    {
        app.MapShopApi("Reservations").MapReservationsApi();
        return app;
    }
}
