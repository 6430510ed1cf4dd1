using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Plaza.Data;

namespace Plaza.Features.Channels;

public sealed class ChannelVisitOptions
{
    /// <summary>How often counted visits are written, in seconds.</summary>
    public double FlushSeconds { get; set; } = 10;
}

/// <summary>
/// Counts channel visits in memory and writes them in batches: one upsert per channel and day every
/// few seconds, never a write per request, so a table page or a tracked link costs what a menu
/// page costs. Counts of a batch that cannot be written are kept for the next; those of a process
/// that dies between flushes are lost (visits are a measure, orders are the record).
/// </summary>
public sealed partial class ChannelVisits(IServiceScopeFactory scopes, ChannelDirectory directory, IOptions<ChannelVisitOptions> options, ILogger<ChannelVisits> log)
    : BackgroundService
{
    /// <summary>A channel to count, by code, with what makes it when it does not exist yet.</summary>
    private readonly record struct Key(int ShopId, int Day, string Code, ChannelKind Kind, string Name);

    private ConcurrentDictionary<Key, long> counts = new();

    /// <summary>Counts one visit of a channel on the shop's local day (yyyymmdd).</summary>
    public void Add(int shopId, int day, string code, ChannelKind kind, string name) =>
        counts.AddOrUpdate(new Key(shopId, day, code, kind, name), 1, (_, n) => n + 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.FlushSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken); // what the last seconds counted
    }

    /// <summary>Writes what was counted since the last flush; returns how many visits were written.</summary>
    public async Task<long> FlushAsync(CancellationToken ct)
    {
        var batch = Interlocked.Exchange(ref counts, new ConcurrentDictionary<Key, long>());
        if (batch.IsEmpty)
        {
            return 0;
        }
        try
        {
            var rows = new Dictionary<(int ShopId, int ChannelId, int Day), long>();
            foreach (var (key, count) in batch)
            {
                var channel = await directory.EnsureAsync(key.ShopId, key.Code, key.Kind, key.Name, ct);
                rows[(key.ShopId, channel.Id, key.Day)] = rows.GetValueOrDefault((key.ShopId, channel.Id, key.Day)) + count;
            }
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var ((shopId, channelId, day), count) in rows)
            {
                // The same statement on SQLite and PostgreSQL: add to the day's row, or make it.
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO "ChannelVisits" ("ShopId", "ChannelId", "Day", "Count") VALUES ({shopId}, {channelId}, {day}, {count})
                    ON CONFLICT ("ShopId", "ChannelId", "Day") DO UPDATE SET "Count" = "ChannelVisits"."Count" + excluded."Count"
                    """, ct);
            }
            await transaction.CommitAsync(ct);
            return rows.Values.Sum();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            foreach (var (key, count) in batch)
            {
                counts.AddOrUpdate(key, count, (_, n) => n + count);
            }
            LogFlushFailed(log, e, batch.Count);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel visits could not be written; {Count} counts are kept for the next try")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int count);
}
