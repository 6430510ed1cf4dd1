using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Features.Loyalty;

public sealed class PointsExpiryOptions
{
    /// <summary>How often lapsed points are looked for; zero turns the sweep off (tests call it themselves).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Points lapse a set number of days after they were earned (<see cref="LoyaltyRules.PointsExpireAfterDays"/>), if
/// still unspent. Spending uses the oldest points first, so what lapses now is what was earned up to now minus
/// everything spent, reversed or already lapsed, never more than the member holds; it is written as an
/// <see cref="LedgerKind.Expired"/> entry like any other movement. Running twice changes nothing the second time.
/// </summary>
public sealed partial class PointsExpiry(IServiceProvider services, TimeProvider clock, PointsExpiryOptions options, ILogger<PointsExpiry> log) : BackgroundService
{
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

    /// <summary>Lapses what is due in every shop; returns the number of members whose points lapsed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(int ShopId, long MemberId)> due;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            // Spans shops on purpose: the sweep is the node's; each member is then settled in their shop's scope.
            // Only members who still hold points: once a lot has lapsed (or been spent) the member drops out of the sweep.
            var holders = db.Members.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(m => m.Points > 0).Select(m => m.Id);
            due = [.. (await db.Ledger.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
                .Where(e => e.Kind == LedgerKind.Earned && e.ExpiresAt != null && e.ExpiresAt <= now && holders.Contains(e.MemberId))
                .Select(e => new { e.ShopId, e.MemberId }).Distinct().ToListAsync(ct)).Select(e => (e.ShopId, e.MemberId))];
        }
        var lapsed = 0;
        foreach (var (shopId, memberId) in due)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            // A programme's rows carry its shop's id: that shop's scope sees its members, whichever linked shop they use.
            var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == shopId, ct);
            scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
            lapsed += await LapseAsync(db, shop, memberId, now, ct) ? 1 : 0;
        }
        return lapsed;
    }

    private static async Task<bool> LapseAsync(PlazaDb db, Shop shop, long memberId, DateTime now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var entries = await db.Ledger.AsNoTracking().Where(e => e.MemberId == memberId && e.Account == LedgerAccount.Points)
            .Select(e => new { e.Kind, e.Amount, e.ExpiresAt }).ToListAsync(ct);
        var earnedDue = entries.Where(e => e.Kind == LedgerKind.Earned && e.ExpiresAt <= now).Sum(e => e.Amount);
        // Out: redeemed, reversed, corrected down, lapsed; points given back cancel the redemption they undo.
        var usedOrLapsed = -entries.Where(e => e.Amount < 0).Sum(e => e.Amount) - entries.Where(e => e.Kind == LedgerKind.Returned).Sum(e => e.Amount);
        var held = await db.Members.Where(m => m.Id == memberId).Select(m => m.Points).FirstOrDefaultAsync(ct);
        var lapse = Math.Min(earnedDue - usedOrLapsed, held);
        if (lapse <= 0)
        {
            return false;
        }
        if (!await Wallet.MoveAsync(db, Wallet.Entry(shop, memberId, LedgerAccount.Points, LedgerKind.Expired, -lapse, null, "system", now), ct: ct))
        {
            return false;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The points expiry sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
