using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Console;

public sealed class AutoRejectOptions
{
    /// <summary>How often placed orders are checked, in seconds.</summary>
    public double SweepSeconds { get; set; } = 15;
}

/// <summary>
/// No order silently waits: one the shop has not accepted within its limit is rejected with a
/// reason the customer sees. Time comes from <see cref="TimeProvider"/>, so tests move it forward.
/// </summary>
public sealed partial class AutoReject(IServiceProvider services, TimeProvider clock, IOptions<AutoRejectOptions> options, PlazaMetrics metrics, ILogger<AutoReject> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(log, e);
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(int ShopId, Guid OrderId)> overdue;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            // Spans shops on purpose: the sweep is the node's, not one shop's.
            var rows = await db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
                .Where(o => o.Status == OrderStatus.Placed)
                .Join(db.Shops, o => o.ShopId, s => s.Id, (o, s) => new { o.ShopId, o.Id, o.PlacedAt, s.AcceptWithinMinutes })
                .ToListAsync(ct);
            overdue = [.. rows.Where(r => r.PlacedAt.AddMinutes(r.AcceptWithinMinutes) <= now).Select(r => (r.ShopId, r.Id))];
        }
        foreach (var (shopId, orderId) in overdue)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == shopId, ct);
            scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
            // Conditional on still being placed: staff accepting at the same moment wins cleanly.
            var (rejected, _) = await scope.ServiceProvider.GetRequiredService<ChangeStatus>()
                .HandleAsync(orderId, new ChangeStatusRequest("rejected", null, null), "system", ct, OrderReasons.NotConfirmedInTime);
            if (rejected is not null)
            {
                metrics.OrderAutoRejected(shop.Slug);
            }
        }
        return overdue.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Auto-reject sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
