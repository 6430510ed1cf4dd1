using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Notifications;

/// <summary>
/// Never missing an order: Web Push to staff devices and to customers who ask, and the rule that a
/// shop nobody attends takes no orders (<see cref="Attendance"/>).
/// </summary>
public static class NotificationsSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OrderAlertOptions>(configuration.GetSection("Plaza:Notifications"));
        services.AddSingleton<WebPushKeys>().AddSingleton<Attendance>().AddScoped<PushDevices>();
        services.AddSingleton<PushWorker>().AddHostedService(s => s.GetRequiredService<PushWorker>());
        services.AddSingleton<OrderAlerts>().AddHostedService(s => s.GetRequiredService<OrderAlerts>());
        return services;
    }

    public static WebApplication MapNotifications(this WebApplication app)
    {
        var shopGroup = app.MapShopApi();
        shopGroup.MapPost("/orders/{id:guid}/push", SubscribeCustomer)
            .WithName("SubscribeToOrder")
            .WithSummary("A customer's browser asks to be told (Web Push) when the order is accepted, ready, late, rejected or cancelled. The body is the browser's PushSubscription.toJSON(); the order id is the capability.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/api/v1/push/key", async (WebPushKeys keys, CancellationToken ct) => TypedResults.Ok(new PushKeyResponse((await keys.GetAsync(ct)).PublicKey)))
            .WithName("GetPushKey")
            .WithTags("Shops")
            .WithSummary("The node's VAPID public key (base64url), the applicationServerKey browsers subscribe with.");
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SubscribeCustomer(Guid id, PushSubscriptionRequest request, ShopScope scope, PlazaDb db,
        PushDevices devices, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == id).Select(o => new { o.Id, o.Status }).FirstOrDefaultAsync(ct);
        if (order is null)
        {
            return Problems.NotFound(Text.Say("There is no such order in this shop."));
        }
        if (!Ordering.OrderLifecycle.IsOpen(order.Status))
        {
            return Problems.Conflict("illegal-transition", Text.Say("This order is finished; there is nothing more to tell."));
        }
        return await devices.AddCustomerAsync(scope.ShopId, id, request, ct) is { } problem ? problem : TypedResults.NoContent();
    }
}

public sealed record PushKeyResponse(string PublicKey);
