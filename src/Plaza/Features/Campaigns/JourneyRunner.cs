using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Mail;
using Plaza.Features.Members;

namespace Plaza.Features.Campaigns;

public sealed class JourneyOptions
{
    /// <summary>How often the journeys are looked at; zero turns the sweep off (tests call it themselves).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The shop's local hour from which a day's journeys are sent, so no one is mailed at midnight.</summary>
    public int SendHour { get; set; } = 10;
}

/// <summary>
/// Runs every shop's journeys that are on: a welcome at each sweep, the others from <see cref="JourneyOptions.SendHour"/> on
/// each of the shop's local days. The members who agreed to offers and whose trigger holds that day enter the journey
/// (welcome: joined since it was switched on; win-back: last order <see cref="Journey.Days"/> of the shop's dates ago or
/// more; birthday: the shop's date is theirs).
/// Each entry is drawn into the hold-out or not from its journey, member and window alone; the treated are given a
/// single-use code and an e-mail in the outbox, all of a journey's entries in one transaction. The unique entry per
/// journey, member and window makes the sweep safe to run as often as wanted and in several processes at once.
/// </summary>
public sealed partial class JourneyRunner(IServiceProvider services, TimeProvider clock, JourneyOptions options, ILogger<JourneyRunner> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => options.Interval <= TimeSpan.Zero ? Task.CompletedTask
        : Federation.WorkLoop.RunAsync(SweepAsync, (poll, ct) => Task.Delay(poll, ct), options.Interval, clock, e => LogSweepFailed(log, e), stoppingToken);

    /// <summary>Runs every shop's journeys that are on; returns how many members entered one.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<int> shops;
        await using (var scope = services.CreateAsyncScope())
        {
            // Spans shops on purpose: the sweep is the node's; each journey then runs in its shop's scope.
            shops = await scope.ServiceProvider.GetRequiredService<PlazaDb>().Journeys.IgnoreQueryFilters([PlazaDb.ShopFilter])
                .Where(j => j.OnSince != null).Select(j => j.ShopId).Distinct().ToListAsync(ct);
        }
        var entered = 0;
        foreach (var shopId in shops)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == shopId, ct);
            scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
            var zone = new OpeningSchedule(shop).Zone;
            var local = Instant.FromDateTimeUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc)).InZone(zone).LocalDateTime;
            // A welcome answers a join at the next sweep; the others wait for the day's send hour.
            var early = local.Hour < options.SendHour;
            foreach (var journey in await db.Journeys.AsNoTracking().Where(j => j.OnSince != null && (!early || j.Kind == JourneyKind.Welcome)).OrderBy(j => j.Kind).ToListAsync(ct))
            {
                try
                {
                    entered += await RunAsync(scope.ServiceProvider, db, shop, zone, journey, local.Date, now, ct);
                }
                catch (DbUpdateException e)
                {
                    // Another process entered some of the same members first; its entries stand, and the next sweep enters the rest.
                    db.ChangeTracker.Clear();
                    LogRaced(log, e, journey.Id, shop.Id);
                }
            }
        }
        return entered;
    }

    private async Task<int> RunAsync(IServiceProvider sp, PlazaDb db, Shop shop, DateTimeZone zone, Journey journey, LocalDate today, DateTime now, CancellationToken ct)
    {
        if (await db.Coupons.AsNoTracking().FirstOrDefaultAsync(c => c.Id == journey.CouponId && c.WithdrawnAt == null, ct) is not { } coupon)
        {
            return 0; // its coupon was withdrawn: the journeys page says so
        }
        var due = await DueAsync(db, zone, journey, today, ct);
        var memberIds = due.Select(d => d.Member.Id).ToList();
        var entered = (await db.JourneyEntries.AsNoTracking().Where(e => e.JourneyId == journey.Id && memberIds.Contains(e.MemberId))
            .Select(e => new { e.MemberId, e.Window }).ToListAsync(ct)).Select(e => (e.MemberId, e.Window)).ToHashSet();
        due.RemoveAll(d => entered.Contains((d.Member.Id, d.Window)));
        if (due.Count == 0)
        {
            return 0;
        }
        var outbox = sp.GetRequiredService<Outbox>();
        var origin = sp.GetRequiredService<PublicOrigin>();
        var day = Day(today);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = new List<(JourneyEntry Entry, Loyalty.CouponCode? Code, OutboxMail? Mail)>();
        foreach (var (member, window) in due)
        {
            var entry = new JourneyEntry { ShopId = shop.Id, JourneyId = journey.Id, MemberId = member.Id, Window = window, Day = day, At = now };
            if (IsHeldOut(journey, member.Id, window))
            {
                entry.Group = CampaignGroup.Holdout;
                rows.Add((entry, null, null));
                continue;
            }
            var code = new Loyalty.CouponCode { ShopId = shop.Id, CouponId = coupon.Id, Code = Loyalty.CouponCode.NewCode(), MemberId = member.Id, IssuedAt = now };
            db.CouponCodes.Add(code);
            rows.Add((entry, code, outbox.Add(member.Email!, journey.Subject, CampaignSender.OfferBody(member, journey.Message, coupon, code, shop, origin))));
        }
        await db.SaveChangesAsync(ct);
        foreach (var (entry, code, mail) in rows)
        {
            (entry.CouponCodeId, entry.MailId) = (code?.Id, mail?.Id);
            db.JourneyEntries.Add(entry);
        }
        await db.SaveChangesAsync(ct);
        await outbox.CommitAsync(tx, ct);
        LogEntered(log, rows.Count, journey.Kind, shop.Id);
        return rows.Count;
    }

    /// <summary>The members who agreed to offers, have an address and whose trigger holds on <paramref name="today"/>, each with the window they would enter.</summary>
    private static async Task<List<(Member Member, int Window)>> DueAsync(PlazaDb db, DateTimeZone zone, Journey journey, LocalDate today, CancellationToken ct)
    {
        var consenting = db.Members.AsNoTracking().Where(m => m.Email != null && m.MarketingConsentAt != null);
        switch (journey.Kind)
        {
            case JourneyKind.Welcome:
                return [.. (await consenting.Where(m => m.JoinedAt >= journey.OnSince).OrderBy(m => m.Id).ToListAsync(ct)).Select(m => (m, 0))];
            case JourneyKind.Birthday:
                // 29 February's members are greeted on the 28th when the year has no 29th.
                var leapling = today is { Month: 2, Day: 28 } && !CalendarSystem.Iso.IsLeapYear(today.Year);
                return [.. (await consenting.Where(m => m.BirthMonth == today.Month && (m.BirthDay == today.Day || (leapling && m.BirthDay == 29)))
                    .OrderBy(m => m.Id).ToListAsync(ct)).Select(m => (m, today.Year))];
            default:
                // Lapsed: the last order's local date is today − Days or earlier, i.e. it was placed before the start of the day after.
                var before = zone.AtStartOfDay(today.PlusDays(1 - journey.Days)).ToDateTimeUtc();
                var lapsed = await db.Customers.AsNoTracking().Where(c => c.MemberId != null && c.LastOrderAt < before)
                    .Join(consenting, c => c.MemberId, m => (long?)m.Id, (c, m) => new { Member = m, c.LastOrderAt }).OrderBy(x => x.Member.Id).ToListAsync(ct);
                return [.. lapsed.Select(x => (x.Member, Day(Instant.FromDateTimeUtc(DateTime.SpecifyKind(x.LastOrderAt!.Value, DateTimeKind.Utc)).InZone(zone).Date)))];
        }
    }

    /// <summary>
    /// Whether an entry is held out: the first four bytes of SHA-256 over the journey, member and window, below the journey's
    /// share of 2³². Fixed by those three alone, so the draw can be checked and a retried sweep draws the same.
    /// </summary>
    public static bool IsHeldOut(Journey journey, long memberId, int window)
    {
        Span<byte> input = stackalloc byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(input, journey.Id);
        BinaryPrimitives.WriteInt64LittleEndian(input[4..], memberId);
        BinaryPrimitives.WriteInt32LittleEndian(input[12..], window);
        var draw = BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(input));
        return draw < (ulong)journey.HoldoutPercent * (1UL << 32) / 100;
    }

    public static int Day(LocalDate date) => (date.Year * 10000) + (date.Month * 100) + date.Day;

    [LoggerMessage(Level = LogLevel.Error, Message = "The journey sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journey {Id} of shop {ShopId} met a member another process entered first")]
    private static partial void LogRaced(ILogger logger, Exception exception, int id, int shopId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} members entered the {Kind} journey of shop {ShopId}")]
    private static partial void LogEntered(ILogger logger, int count, JourneyKind kind, int shopId);
}
