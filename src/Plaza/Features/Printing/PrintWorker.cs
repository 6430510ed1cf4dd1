using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Notifications;
using Plaza.Features.Ordering;

namespace Plaza.Features.Printing;

public sealed class PrintingOptions
{
    /// <summary>How often the queue is looked at without an order event to wake it, in seconds.</summary>
    public double PollSeconds { get; set; } = 5;

    /// <summary>The ports a printer may be given (<c>9100-9109</c>): a shop's owner must not make the node talk to other services.</summary>
    public string Ports { get; set; } = "9100-9109";

    /// <summary>Hours a ticket is kept waiting for its printer before it is given up.</summary>
    public double GiveUpHours { get; set; } = 12;
}

/// <summary>
/// Prints orders on the shops' network printers. On each order event of this process (and, on PostgreSQL, of the
/// others) and at every poll it owes each printer the paper it should have printed (a <see cref="PrintJob"/> per
/// printer and order, unique, so asking twice owes nothing twice), then sends what is due: the job is claimed by a
/// conditional update (two processes never send one twice), the printer's paper sensor is asked first, and the job is
/// done once the printer took every byte. A printer that is off, unreachable or out of paper is tried again after
/// 5 s … 1 min until it prints, across restarts; the staff's devices hear when a printer stops printing.
/// </summary>
public sealed partial class PrintWorker(IServiceScopeFactory scopes, OrderEvents events, OrderAlerts alerts, TimeProvider clock,
    IOptions<PrintingOptions> options, ILogger<PrintWorker> log) : BackgroundService
{
    private const int Batch = 20;
    private static readonly TimeSpan Claim = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Horizon = TimeSpan.FromHours(12);
    private readonly WakeSignal wake = new();
    // Shops with a printer, refreshed at each poll: an order event of any other shop costs no query.
    private HashSet<int> printingShops = [];

    /// <summary>Looks at the queue now (a reprint was asked for, a printer was added).</summary>
    public void Wake() => wake.Ring();

    public void Printing(int shopId) => printingShops = [.. printingShops, shopId];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changes = events.SubscribeAll();
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        var nextPoll = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wait = nextPoll - clock.GetUtcNow();
                var change = wait > TimeSpan.Zero ? await NextAsync(changes, wait, stoppingToken) : null;
                if (change is not null)
                {
                    if (Volatile.Read(ref printingShops).Contains(change.ShopId) && await OweAsync(change.OrderId, stoppingToken) > 0)
                    {
                        await PrintDueAsync(stoppingToken);
                    }
                    continue;
                }
                if (clock.GetUtcNow() >= nextPoll)
                {
                    await OweAsync(null, stoppingToken);
                    nextPoll = clock.GetUtcNow() + poll;
                }
                while (await PrintDueAsync(stoppingToken) == Batch)
                {
                    // More were due than one batch.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                PrintingFailed(log, e);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>The next order event, or null when woken or when <paramref name="wait"/> passed.</summary>
    private async Task<OrderChanged?> NextAsync(OrderEvents.Subscription changes, TimeSpan wait, CancellationToken ct)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var woken = wake.WaitAsync(wait, either.Token);
        var changed = changes.NextAsync(wait, either.Token);
        var first = await Task.WhenAny(woken, changed);
        await either.CancelAsync();
        if (first == changed && changed.IsCompletedSuccessfully)
        {
            return changed.Result;
        }
        await ((Task)changed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return null;
    }

    /// <summary>
    /// Owes each printer the paper one order (or every recent order of a shop with printers) should have given it;
    /// returns how many jobs were added.
    /// </summary>
    public async Task<int> OweAsync(Guid? orderId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var printers = await db.Set<Printer>().IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().ToListAsync(ct);
        var shops = printers.Select(p => p.ShopId).ToHashSet();
        if (orderId is null)
        {
            Volatile.Write(ref printingShops, shops);
        }
        if (printers.Count == 0)
        {
            return 0;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - Horizon;
        var orders = db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(o => shops.Contains(o.ShopId) && o.Status != OrderStatus.Rejected && o.Status != OrderStatus.Cancelled && o.Status != OrderStatus.Completed && o.Status != OrderStatus.Refunded);
        orders = orderId is { } id ? orders.Where(o => o.Id == id) : orders.Where(o => o.PlacedAt >= since);
        var open = await orders.Include(o => o.Lines).AsSplitQuery().ToListAsync(ct);
        if (open.Count == 0)
        {
            return 0;
        }
        var itemIds = open.SelectMany(o => o.Lines).Select(l => l.ItemId).Distinct().ToList();
        var categoryOfItem = await db.Items.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(i => itemIds.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, i => i.CategoryId, ct);
        var wanted = new List<PrintJob>();
        foreach (var order in open)
        {
            foreach (var printer in printers.Where(p => p.ShopId == order.ShopId && order.PlacedAt >= p.CreatedAt))
            {
                var due = printer.PrintOn == PrintMoment.OnArrival || order.Status != OrderStatus.Placed;
                if (due && Tickets.LinesFor(printer, order, categoryOfItem).Count > 0)
                {
                    var kind = printer.Role == PrinterRole.Receipt ? PrintKind.Receipt : PrintKind.Ticket;
                    wanted.Add(Job(printer, order.Id, kind, $"{kind}:{order.Id:N}".ToLowerInvariant(), reprint: false, now));
                }
            }
        }
        return await AddAsync(db, wanted, ct);
    }

    /// <summary>Owes every printer of the order's shop the order once more (a reprint from the board).</summary>
    public async Task<int> ReprintAsync(PlazaDb db, int shopId, Guid orderId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var printers = await db.Set<Printer>().AsNoTracking().Where(p => p.ShopId == shopId).ToListAsync(ct);
        var copy = Guid.NewGuid().ToString("N")[..8];
        var jobs = printers.Select(p =>
        {
            var kind = p.Role == PrinterRole.Receipt ? PrintKind.Receipt : PrintKind.Ticket;
            return Job(p, orderId, kind, $"{kind}:{orderId:N}:{copy}".ToLowerInvariant(), reprint: true, now);
        }).ToList();
        var added = await AddAsync(db, jobs, ct);
        Wake();
        return added;
    }

    private static PrintJob Job(Printer printer, Guid orderId, PrintKind kind, string key, bool reprint, DateTime now) => new()
    {
        ShopId = printer.ShopId,
        PrinterId = printer.Id,
        OrderId = orderId,
        Kind = kind,
        Key = key,
        Reprint = reprint,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>Adds the jobs not owed before; one another process added meanwhile is skipped by its unique index.</summary>
    private static async Task<int> AddAsync(PlazaDb db, List<PrintJob> wanted, CancellationToken ct)
    {
        if (wanted.Count == 0)
        {
            return 0;
        }
        var keys = wanted.Select(j => j.Key).Distinct().ToList();
        var known = (await db.Set<PrintJob>().IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(j => keys.Contains(j.Key))
            .Select(j => new { j.PrinterId, j.Key }).ToListAsync(ct)).Select(j => (j.PrinterId, j.Key)).ToHashSet();
        return await db.AddEachUnlessTakenAsync(wanted.Where(j => !known.Contains((j.PrinterId, j.Key))), ct);
    }

    /// <summary>Sends what is due, up to one batch; returns how many were due.</summary>
    public async Task<int> PrintDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var jobs = db.Set<PrintJob>().IgnoreQueryFilters([PlazaDb.ShopFilter]);
        var due = await jobs.AsNoTracking().Where(j => j.PrintedAt == null && j.GaveUpAt == null && j.NextAttemptAt <= now)
            .OrderBy(j => j.Id).Take(Batch).ToListAsync(ct);
        var failed = new HashSet<int>();
        foreach (var job in due)
        {
            if (failed.Contains(job.PrinterId))
            {
                continue;
            }
            var claimed = await jobs.Where(j => j.Id == job.Id && j.NextAttemptAt == job.NextAttemptAt && j.PrintedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.NextAttemptAt, now + Claim), ct);
            if (claimed == 0)
            {
                continue;
            }
            var error = await PrintAsync(db, job, ct);
            var at = clock.GetUtcNow().UtcDateTime;
            var one = jobs.Where(j => j.Id == job.Id);
            var printers = db.Set<Printer>().IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(p => p.Id == job.PrinterId);
            switch (error)
            {
                case null:
                    await one.ExecuteUpdateAsync(s => s.SetProperty(j => j.PrintedAt, at).SetProperty(j => j.Attempts, job.Attempts + 1), ct);
                    await printers.ExecuteUpdateAsync(s => s.SetProperty(p => p.LastPrintedAt, at).SetProperty(p => p.Fault, (string?)null)
                        .SetProperty(p => p.FaultSince, (DateTime?)null), ct);
                    break;
                case Skipped skipped:
                    await one.ExecuteUpdateAsync(s => s.SetProperty(j => j.GaveUpAt, at).SetProperty(j => j.LastError, skipped.Why), ct);
                    break;
                case Fault fault:
                    failed.Add(job.PrinterId);
                    var attempts = job.Attempts + 1;
                    var next = at + TimeSpan.FromSeconds(Math.Min(60, 5 << Math.Min(attempts - 1, 4)));
                    DateTime? gaveUp = at - job.CreatedAt > TimeSpan.FromHours(options.Value.GiveUpHours) ? at : null;
                    NotPrinted(log, job.Id, job.PrinterId, attempts, fault.Why);
                    await one.ExecuteUpdateAsync(s => s.SetProperty(j => j.Attempts, attempts).SetProperty(j => j.LastError, fault.Why)
                        .SetProperty(j => j.NextAttemptAt, next).SetProperty(j => j.GaveUpAt, gaveUp), ct);
                    // The first failure of an outage marks the printer and tells the staff's devices, once per outage.
                    if (await printers.Where(p => p.Fault == null).ExecuteUpdateAsync(s => s.SetProperty(p => p.Fault, fault.Why).SetProperty(p => p.FaultSince, at), ct) > 0)
                    {
                        await TellStaffAsync(db, job, at, ct);
                    }
                    else
                    {
                        await printers.ExecuteUpdateAsync(s => s.SetProperty(p => p.Fault, fault.Why), ct);
                    }
                    break;
            }
        }
        return due.Count;
    }

    private async Task TellStaffAsync(PlazaDb db, PrintJob job, DateTime since, CancellationToken ct)
    {
        var printer = await db.Set<Printer>().IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().SingleAsync(p => p.Id == job.PrinterId, ct);
        var slug = await db.Shops.Where(s => s.Id == job.ShopId).Select(s => s.Slug).SingleAsync(ct);
        await alerts.TellStaffAsync(job.ShopId, $"printer:{printer.Id}:{since.Ticks}", $"/console/{slug}/board", () =>
            (Text.Say("Printer {0} is not printing", printer.Name), Text.Say("Its tickets wait and print when it is back: {0}", Words(printer.Fault))), ct);
    }

    /// <summary>A fault as staff read it.</summary>
    public static string Words(string? fault) => fault switch
    {
        null => Text.Say("Working"),
        OutOfPaper => Text.Say("Out of paper"),
        _ => Text.Say("Cannot be reached"),
    };

    private const string OutOfPaper = "out of paper";

    private abstract record Outcome;
    private sealed record Fault(string Why) : Outcome;
    private sealed record Skipped(string Why) : Outcome;

    private static async Task<Outcome?> PrintAsync(PlazaDb db, PrintJob job, CancellationToken ct)
    {
        var printer = await db.Set<Printer>().IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().SingleAsync(p => p.Id == job.PrinterId, ct);
        var order = await db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == job.OrderId, ct);
        if (order.Status is OrderStatus.Rejected or OrderStatus.Cancelled && !job.Reprint)
        {
            // Nobody should cook what was called off while the printer was away.
            return new Skipped($"order {OrderWords.Status(order.Status)}");
        }
        var shop = await db.Shops.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().SingleAsync(s => s.Id == order.ShopId, ct);
        var table = order.TableCode is null ? null : await db.Tables.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(t => t.ShopId == order.ShopId && t.Code == order.TableCode).Select(t => t.Name).FirstOrDefaultAsync(ct);
        var itemIds = order.Lines.Select(l => l.ItemId).ToList();
        var categoryOfItem = await db.Items.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(i => itemIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.CategoryId, ct);
        var lines = Tickets.LinesFor(printer, order, categoryOfItem);
        if (lines.Count == 0)
        {
            return new Skipped("no lines for this printer");
        }
        var paper = Tickets.Compose(job.Kind, printer, shop, order, lines, table, job.Reprint);
        try
        {
            using var tcp = new TcpClient { NoDelay = true };
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connect.CancelAfter(ConnectTimeout);
                await tcp.ConnectAsync(printer.Host, printer.Port, connect.Token);
            }
            var stream = tcp.GetStream();
            await stream.WriteAsync(EscPos.PaperStatusQuery, ct);
            if (ReadStatus(tcp.Client) is { } status && EscPos.IsPaperOut(status))
            {
                return new Fault(OutOfPaper);
            }
            await stream.WriteAsync(paper, ct);
            await stream.FlushAsync(ct);
            tcp.Client.Shutdown(SocketShutdown.Send);
            return null;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new Fault(e is OperationCanceledException ? "timed out" : e.Message.Length > 200 ? e.Message[..200] : e.Message);
        }
    }

    /// <summary>The printer's answer to the status query, or null from a printer that does not answer it within a second.</summary>
    private static byte? ReadStatus(Socket socket)
    {
        if (!socket.Poll(StatusTimeout, SelectMode.SelectRead))
        {
            return null;
        }
        var one = new byte[1];
        return socket.Receive(one) == 1 ? one[0] : throw new IOException("The printer closed the connection.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Printing failed; trying again shortly.")]
    private static partial void PrintingFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Print job {Id} for printer {PrinterId} not printed (attempt {Attempts}): {Error}")]
    private static partial void NotPrinted(ILogger logger, long id, int printerId, int attempts, string error);

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}
