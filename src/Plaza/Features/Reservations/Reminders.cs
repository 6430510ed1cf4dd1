using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Reservations;

public sealed class ReminderOptions
{
    /// <summary>How often due reminders are looked for; zero turns the sweep off (tests call it themselves).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// E-mails each guest the shop's set number of hours before their table. The reservation's <see cref="Reservation.RemindedAt"/>
/// is set by a conditional update in the transaction that queues the mail in the outbox, so a reminder is queued once
/// however often the sweep runs, however many processes run it, and whether or not the node restarted in between;
/// the outbox then sends it once.
/// </summary>
public sealed partial class Reminders(IServiceProvider services, TimeProvider clock, ReminderOptions options, ILogger<Reminders> log) : BackgroundService
{
    /// <summary>Reminders are sent at most this long before a table (a week); a longer setting is cut to it.</summary>
    public const int MaxHours = 7 * 24;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Interval);
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

    /// <summary>Queues the reminders now due in every shop; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(int ShopId, Guid Id)> due;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            // Spans shops on purpose: the sweep is the node's; each reminder is then queued in its shop's scope.
            var hours = await db.ReservationSettings.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
                .Where(s => s.ReminderHours > 0).ToDictionaryAsync(s => s.ShopId, s => Math.Min(s.ReminderHours, MaxHours), ct);
            var candidates = await db.Reservations.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
                .Where(r => r.Status == ReservationStatus.Booked && r.RemindedAt == null && r.Start > now && r.Start <= now.AddHours(MaxHours))
                .Select(r => new { r.ShopId, r.Id, r.Start }).ToListAsync(ct);
            due = [.. candidates.Where(r => hours.TryGetValue(r.ShopId, out var h) && r.Start <= now.AddHours(h)).Select(r => (r.ShopId, r.Id))];
        }
        var queued = 0;
        foreach (var (shopId, id) in due)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == shopId, ct);
            scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await db.Reservations.Where(r => r.Id == id && r.RemindedAt == null && r.Status == ReservationStatus.Booked)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.RemindedAt, now), ct) == 0)
            {
                continue; // another process queued it first, or it was cancelled meanwhile
            }
            var reservation = await db.Reservations.AsNoTracking().SingleAsync(r => r.Id == id, ct);
            var settings = await db.ReservationSettings.AsNoTracking().SingleAsync(ct);
            var mail = scope.ServiceProvider.GetRequiredService<ReservationMail>();
            mail.Queue(ReservationMail.Kind.Reminder, shop, reservation, settings);
            await db.SaveChangesAsync(ct);
            await mail.CommitAsync(tx, ct);
            queued++;
        }
        return queued;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The reservation reminder sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
