using System.Data.Common;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Features.Ordering;

/// <summary>An order that passed every check and now needs its key, slot, stock and number claimed, and storing.</summary>
/// <param name="Settlement">Coupons, points and a balance payment to claim with it; null for a guest's order, which claims none.</param>
public sealed record OrderWrite(Shop Shop, Order Order, Quote Quote, string? IdempotencyKey, string RequestHash, long? SlotStart, Loyalty.Settlement? Settlement = null);

/// <summary>How a write ended: stored, refused (nothing of it kept), or its Idempotency-Key was taken first by another request.</summary>
public abstract record WriteResult
{
    public sealed record Stored : WriteResult;
    public sealed record Refused(ProblemHttpResult Problem) : WriteResult;
    public sealed record KeyTaken : WriteResult;
}

/// <summary>
/// The one writer of new orders in this process: whatever orders are waiting are written in one
/// transaction, each inside its own savepoint, and committed once. A refused or failing order is
/// rolled back to its savepoint alone; the rest commit together, so one fsync (SQLite) or one
/// commit round trip (PostgreSQL) serves the whole batch and concurrent orders never queue on the
/// store's write lock. No caller hears "stored" before the commit has returned.
/// Unlike the node's other background work it does not enter a shop's scope: one batch (one
/// context, one transaction) holds orders of many shops, so its two conditional updates (stock,
/// slot seats) lift the shop filter and name the order's shop themselves.
/// </summary>
public sealed partial class OrderWriter(IServiceScopeFactory scopes, OrderWriterOptions options, PlazaMetrics metrics, ILogger<OrderWriter> log) : BackgroundService
{
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Pending(OrderWrite Write, TaskCompletionSource<WriteResult> Done);

    /// <summary>Queues the order for the next batch and completes once that batch has committed (or failed).</summary>
    public Task<WriteResult> WriteAsync(OrderWrite write)
    {
        var done = new TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!queue.Writer.TryWrite(new Pending(write, done)))
        {
            done.SetException(new InvalidOperationException("The node is shutting down and takes no more orders."));
        }
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.MaxBatch);
        // Not stoppingToken: on shutdown the queue is completed and drained, so no accepted request is left hanging.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < options.MaxBatch && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            await WriteBatchAsync(batch);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        if (batch.Count > 1 && batch.TrueForAll(p => ClaimsOnlyANumber(p.Write)) && await TryWriteTogetherAsync(batch))
        {
            return;
        }
        var results = new WriteResult?[batch.Count];
        var failures = new Exception?[batch.Count];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            db.Database.AutoSavepointsEnabled = false; // each order has its own savepoint below
            await using var tx = await db.Database.BeginTransactionAsync();
            // Shop by shop, so two processes writing batches for the same shops take their locks in one order.
            foreach (var index in Enumerable.Range(0, batch.Count).OrderBy(i => batch[i].Write.Shop.Id))
            {
                await tx.CreateSavepointAsync("o");
                try
                {
                    results[index] = await WriteOneAsync(db, tx, batch[index].Write);
                }
                catch (Exception e) when (e is DbException or DbUpdateException)
                {
                    results[index] = batch[index].Write.IdempotencyKey is not null && IsUniqueViolation(e) ? new WriteResult.KeyTaken() : null;
                    failures[index] = results[index] is null ? e : null;
                }
                if (results[index] is not WriteResult.Stored)
                {
                    await tx.RollbackToSavepointAsync("o");
                }
                db.ChangeTracker.Clear();
            }
            await tx.CommitAsync();
            metrics.BatchWritten(batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            // The commit (or the store itself) failed: nothing in this batch was stored.
            LogBatchFailed(log, batch.Count, e);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(results[i]!);
            }
        }
    }

    /// <summary>An order with no slot, no counted stock and no coupon, points or balance to claim: only its number is taken at the store.</summary>
    private static bool ClaimsOnlyANumber(OrderWrite write) =>
        write.SlotStart is null && write.Settlement is not { TakesAnything: true } && write.Quote.Lines.All(l => l.Item.Stock is null);

    /// <summary>
    /// The common batch — every order claims only its number — in a few statements instead of several per order: one
    /// counter update per shop and day takes all of that day's numbers at once, and one save stores every order and key.
    /// If anything is refused before the commit (an Idempotency-Key another request stored meanwhile, say), the
    /// transaction is rolled back whole and false returned, and the batch is written order by order with savepoints,
    /// which gives each order its own outcome. A failed commit is not retried: it fails the batch, as order by order does.
    /// </summary>
    private async Task<bool> TryWriteTogetherAsync(List<Pending> batch)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        IDbContextTransaction tx;
        try
        {
            tx = await db.Database.BeginTransactionAsync();
        }
        catch (DbException)
        {
            return false;
        }
        await using (tx)
        {
            try
            {
                // Shop by shop, as order by order does, so two processes take the counter rows' locks in one order.
                foreach (var day in batch.GroupBy(p => (p.Write.Shop.Id, p.Write.Order.BusinessDay)).OrderBy(g => g.Key.Id).ThenBy(g => g.Key.BusinessDay))
                {
                    var number = await TakeNumbersAsync(db, tx, day.Key.Id, day.Key.BusinessDay, day.Count());
                    foreach (var pending in day)
                    {
                        Add(db, pending.Write, ++number);
                    }
                }
                await db.SaveChangesAsync();
            }
            catch (Exception)
            {
                // Whatever went wrong, order by order will meet it again and answer each order (or fail the batch) properly.
                try
                {
                    await tx.RollbackAsync();
                }
                catch (DbException)
                {
                    // a broken connection rolls back by itself
                }
                return false;
            }
            try
            {
                await tx.CommitAsync();
            }
            catch (Exception e)
            {
                LogBatchFailed(log, batch.Count, e);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
                return true;
            }
        }
        metrics.BatchWritten(batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        foreach (var pending in batch)
        {
            pending.Done.TrySetResult(new WriteResult.Stored());
        }
        return true;
    }

    /// <summary>
    /// Claims what the order needs inside the open savepoint: a slot seat, stock (conditional
    /// decrements, items in id order), its coupons, points and balance payment, the day's next number;
    /// then stores the key and the order.
    /// </summary>
    private static async Task<WriteResult> WriteOneAsync(PlazaDb db, IDbContextTransaction tx, OrderWrite write)
    {
        var (shop, order, quote, _, _, slotStart, _) = write;
        if (slotStart is { } slot && !await ReserveSlotAsync(db, tx, shop, slot))
        {
            return new WriteResult.Refused(Problems.Conflict("slot-unavailable", Text.Say("That time is fully booked; choose another."),
                new Dictionary<string, string[]> { ["pickupAt"] = [Text.Say("Fully booked.")] }));
        }
        foreach (var (itemId, units) in quote.Lines.Where(l => l.Item.Stock is not null)
            .GroupBy(l => l.Item.Id).Select(g => (g.Key, g.Sum(l => l.Quantity))).OrderBy(x => x.Key))
        {
            // Conditional decrement: the row is only changed while enough stock is left.
            var changed = await db.Items.IgnoreQueryFilters([PlazaDb.ShopFilter])
                .Where(i => i.ShopId == shop.Id && i.Id == itemId && i.Stock >= units)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Stock, i => i.Stock - units));
            if (changed == 0)
            {
                var name = quote.Lines.First(l => l.Item.Id == itemId).Item.Name;
                return new WriteResult.Refused(Problems.Conflict("sold-out", Text.Say("Not enough {0} left.", name),
                    new Dictionary<string, string[]> { ["items"] = [Text.Say("{0} is sold out.", name)] }));
            }
        }
        if (write.Settlement is { TakesAnything: true }
            && await Loyalty.Wallet.ClaimAsync(db, write, (sql, parameters) => ExecuteAsync(db, tx, sql, parameters)) is { } refused)
        {
            return new WriteResult.Refused(refused);
        }
        Add(db, write, await TakeNumbersAsync(db, tx, shop.Id, order.BusinessDay, 1) + 1);
        await db.SaveChangesAsync();
        return new WriteResult.Stored();
    }

    /// <summary>Takes the next <paramref name="count"/> numbers of the shop's day and returns the one before the first.</summary>
    private static async Task<int> TakeNumbersAsync(PlazaDb db, IDbContextTransaction tx, int shopId, int day, int count) =>
        Convert.ToInt32(await ExecuteAsync(db, tx,
            """
            INSERT INTO "OrderCounters" ("ShopId", "Day", "Last") VALUES (@shop, @day, @count)
            ON CONFLICT ("ShopId", "Day") DO UPDATE SET "Last" = "OrderCounters"."Last" + @count
            RETURNING "Last"
            """,
            ("shop", shopId), ("day", day), ("count", count)), System.Globalization.CultureInfo.InvariantCulture) - count;

    /// <summary>Numbers the order and adds it, with its Idempotency-Key if it came with one, to be saved.</summary>
    private static void Add(PlazaDb db, OrderWrite write, int number)
    {
        var (shop, order, _, key, hash, _, _) = write;
        order.Number = $"A-{number:000}";
        if (key is not null)
        {
            db.IdempotencyKeys.Add(new IdempotencyKey { ShopId = shop.Id, Key = key, RequestHash = hash, OrderId = order.Id, CreatedAt = order.PlacedAt });
        }
        db.Orders.Add(order);
    }

    private static async Task<bool> ReserveSlotAsync(PlazaDb db, IDbContextTransaction tx, Shop shop, long slotStart)
    {
        await ExecuteAsync(db, tx,
            """INSERT INTO "SlotBookings" ("ShopId", "SlotStart", "Count") VALUES (@shop, @slot, 0) ON CONFLICT ("ShopId", "SlotStart") DO NOTHING""",
            ("shop", shop.Id), ("slot", slotStart));
        var capacity = shop.SlotCapacity;
        return await db.SlotBookings.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(b => b.ShopId == shop.Id && b.SlotStart == slotStart && b.Count < capacity)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Count, b => b.Count + 1)) == 1;
    }

    /// <summary>Runs an upsert that EF cannot express; the SQL is the same on SQLite and PostgreSQL.</summary>
    private static async Task<object?> ExecuteAsync(PlazaDb db, IDbContextTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = tx.GetDbTransaction();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteScalarAsync();
    }

    private static bool IsUniqueViolation(Exception e) =>
        (e as DbUpdateException)?.InnerException is SqliteException { SqliteErrorCode: 19 } or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        || e is SqliteException { SqliteErrorCode: 19 } or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} orders could not be stored; none of them was acknowledged")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}

/// <summary>At most this many orders share one transaction.</summary>
public sealed class OrderWriterOptions
{
    public int MaxBatch { get; set; } = 128;
}
