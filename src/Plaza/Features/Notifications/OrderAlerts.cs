using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Mail;
using Plaza.Features.Ordering;

namespace Plaza.Features.Notifications;

public sealed class OrderAlertOptions
{
    /// <summary>How often every recent order is checked for what its devices should have heard, in seconds.</summary>
    public double SweepSeconds { get; set; } = 15;

    /// <summary>How long before an order is auto-rejected the staff's devices are warned, in seconds.</summary>
    public int WarnBeforeRejectSeconds { get; set; } = 60;

    /// <summary>Minutes past its promised time after which a customer is told the order runs late.</summary>
    public int LateAfterMinutes { get; set; } = 5;
}

/// <summary>
/// Decides what each subscribed device should hear about orders and queues it for <see cref="PushWorker"/>:
/// staff devices hear of a new order and of one about to be auto-rejected; a customer's device hears that
/// their order was accepted, is ready, runs late, or was rejected or cancelled. One path does it, from the
/// order's state rather than from the event: it runs on each order event of this process (and, on PostgreSQL,
/// of the others) and every <see cref="OrderAlertOptions.SweepSeconds"/> over every open order, so an event
/// lost in a crash is told at the next sweep. Each (device, topic) is queued once (a unique index), so
/// running it twice, or on two processes, tells nothing twice.
/// </summary>
public sealed partial class OrderAlerts(IServiceScopeFactory scopes, OrderEvents events, PushWorker worker, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<OrderAlertOptions> options, ILogger<OrderAlerts> log) : BackgroundService
{
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(1);
    private readonly Lock gate = new();
    // Which shops and orders have a device listening, refreshed at every sweep: an order event of any
    // other shop or order (most of them on a busy node) costs no query.
    private HashSet<int> staffShops = [];
    private HashSet<Guid> followedOrders = [];

    /// <summary>A device subscribed on this process: its events are told from now, not from the next sweep.</summary>
    public void Listening(PushDevice device)
    {
        lock (gate)
        {
            if (device.OrderId is { } orderId)
            {
                followedOrders = [.. followedOrders, orderId];
            }
            else
            {
                staffShops = [.. staffShops, device.ShopId];
            }
        }
    }

    private bool Heard(OrderChanged change) =>
        change.Status == OrderStatus.Placed ? Volatile.Read(ref staffShops).Contains(change.ShopId) : Volatile.Read(ref followedOrders).Contains(change.OrderId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changes = events.SubscribeAll();
        var sweep = TimeSpan.FromSeconds(options.Value.SweepSeconds);
        var nextSweep = clock.GetUtcNow() + TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wait = nextSweep - clock.GetUtcNow();
                var change = wait > TimeSpan.Zero ? await changes.NextAsync(wait, stoppingToken) : null;
                if (change is not null)
                {
                    if (!Heard(change))
                    {
                        continue;
                    }
                    await TellAsync(change.OrderId, stoppingToken);
                }
                else if (clock.GetUtcNow() >= nextSweep)
                {
                    await RefreshListenersAsync(stoppingToken);
                    await TellAsync(null, stoppingToken);
                    nextSweep = clock.GetUtcNow() + sweep;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                TellingFailed(log, e);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task RefreshListenersAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var devices = scope.ServiceProvider.GetRequiredService<PlazaDb>().Set<PushDevice>().IgnoreQueryFilters([PlazaDb.ShopFilter]);
        var shops = (await devices.Where(d => d.Audience == PushAudience.Staff).Select(d => d.ShopId).Distinct().ToListAsync(ct)).ToHashSet();
        var since = clock.GetUtcNow().UtcDateTime - Horizon;
        var orders = (await devices.Where(d => d.OrderId != null && d.CreatedAt >= since).Select(d => d.OrderId!.Value).Distinct().ToListAsync(ct)).ToHashSet();
        lock (gate)
        {
            staffShops = shops;
            followedOrders = orders;
        }
    }

    /// <summary>Queues what devices should have heard about one order, or every open and recent one; returns how many notes it queued.</summary>
    public async Task<int> TellAsync(Guid? orderId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - Horizon;
        var devices = db.Set<PushDevice>().IgnoreQueryFilters([PlazaDb.ShopFilter]);
        var orders = db.Orders.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking();
        orders = orderId is { } id ? orders.Where(o => o.Id == id) : orders.Where(o => o.PlacedAt >= since);

        // Staff devices: placed orders of shops that have any; customer devices: the orders they follow.
        var staffOrders = await orders.Where(o => o.Status == OrderStatus.Placed && devices.Any(d => d.ShopId == o.ShopId && d.Audience == PushAudience.Staff))
            .Include(o => o.Lines).AsSplitQuery().ToListAsync(ct);
        var customerOrders = await orders.Where(o => o.Status != OrderStatus.Placed && o.Status != OrderStatus.Completed && devices.Any(d => d.OrderId == o.Id))
            .ToListAsync(ct);
        if (staffOrders.Count == 0 && customerOrders.Count == 0)
        {
            return 0;
        }
        var shopIds = staffOrders.Concat(customerOrders).Select(o => o.ShopId).Distinct().ToList();
        var shops = await db.Shops.AsNoTracking().Where(s => shopIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var tables = await db.Tables.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().Where(t => shopIds.Contains(t.ShopId))
            .ToDictionaryAsync(t => (t.ShopId, t.Code), t => t.Name, ct);
        var staffDevices = staffOrders.Count == 0 ? [] : await devices.AsNoTracking()
            .Where(d => d.Audience == PushAudience.Staff && shopIds.Contains(d.ShopId)).ToListAsync(ct);
        var customerIds = customerOrders.Select(o => (Guid?)o.Id).ToList();
        var customerDevices = customerOrders.Count == 0 ? [] : await devices.AsNoTracking().Where(d => customerIds.Contains(d.OrderId)).ToListAsync(ct);

        var wanted = new List<PushNote>();
        var o = options.Value;
        foreach (var order in staffOrders)
        {
            var shop = shops[order.ShopId];
            var board = $"/console/{shop.Slug}/board";
            var rejectAt = order.PlacedAt.AddMinutes(shop.AcceptWithinMinutes);
            foreach (var device in staffDevices.Where(d => d.ShopId == order.ShopId && d.CreatedAt <= now))
            {
                wanted.Add(Note(device, $"order:{order.Id:N}:placed", board, () =>
                    (Text.Say("New order {0}", order.Number), Summary(order, tables, device.Language))));
                if (!shop.AutoAccept && rejectAt - TimeSpan.FromSeconds(o.WarnBeforeRejectSeconds) <= now && now < rejectAt)
                {
                    wanted.Add(Note(device, $"order:{order.Id:N}:overdue", board, () =>
                        (Text.Say("Accept order {0} now", order.Number), Text.Say("It is rejected automatically at {0} unless someone accepts it.", OpeningSchedule.Local(shop, rejectAt)))));
                }
            }
        }
        foreach (var order in customerOrders)
        {
            var shop = shops[order.ShopId];
            var page = $"/s/{shop.Slug}/orders/{order.Id}";
            var late = order.ReadyAt is { } promised && order.Status is OrderStatus.Accepted or OrderStatus.Preparing
                && promised.AddMinutes(o.LateAfterMinutes) <= now;
            foreach (var device in customerDevices.Where(d => d.OrderId == order.Id))
            {
                if (late)
                {
                    wanted.Add(Note(device, $"order:{order.Id:N}:late", page, () =>
                        (Text.Say("Order {0} is running late", order.Number), Text.Say("{0} is still working on it; you will hear when it is ready.", shop.Name))));
                }
                var said = order.Status switch
                {
                    OrderStatus.Accepted or OrderStatus.Preparing => ("accepted", Text.Key("Order {0} is accepted"),
                        order.ReadyAt is { } at ? Text.Key("Ready around {0}.") : Text.Key("{0} is making it.")),
                    OrderStatus.Ready => ("ready", Text.Key("Order {0} is ready"),
                        order.Type == OrderType.Delivery ? Text.Key("It is on its way.") : order.Type == OrderType.DineIn ? Text.Key("It is coming to your table.") : Text.Key("Collect it at the counter.")),
                    OrderStatus.Rejected => ("rejected", Text.Key("Order {0} was not accepted"), null),
                    OrderStatus.Cancelled => ("cancelled", Text.Key("Order {0} was cancelled"), null),
                    _ => default,
                };
                if (said.Item1 is null)
                {
                    continue;
                }
                wanted.Add(Note(device, $"order:{order.Id:N}:{said.Item1}", page, () => (Text.Say(said.Item2, order.Number),
                    said.Item3 is null ? OrderReasons.Word(order.ReasonCode, order.Reason) ?? shop.Name
                    : Text.Say(said.Item3, order.ReadyAt is { } at ? OpeningSchedule.Local(shop, at) : shop.Name))));
            }
        }
        return await QueueAsync(db, wanted, ct);

        PushNote Note(PushDevice device, string topic, string url, Func<(string Title, string Body)> words) => NoteFor(device, topic, url, words, now);
    }

    /// <summary>
    /// Tells every staff device of a shop something that is not an order's news (a printer that stopped), once per
    /// <paramref name="topic"/>; returns how many notes it queued.
    /// </summary>
    public async Task<int> TellStaffAsync(int shopId, string topic, string url, Func<(string Title, string Body)> words, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var devices = await db.Set<PushDevice>().IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(d => d.ShopId == shopId && d.Audience == PushAudience.Staff).ToListAsync(ct);
        return await QueueAsync(db, [.. devices.Select(d => NoteFor(d, topic, url, words, now))], ct);
    }

    private static PushNote NoteFor(PushDevice device, string topic, string url, Func<(string Title, string Body)> words, DateTime now)
    {
        var (title, body) = Outbox.In(device.Language, words);
        return new PushNote
        {
            ShopId = device.ShopId,
            DeviceId = device.Id,
            Topic = topic,
            Title = Clip(title, 200),
            Body = Clip(body, 300),
            Url = url,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    /// <summary>Adds the notes not queued before; a note another process queued meanwhile is skipped by its unique index.</summary>
    private async Task<int> QueueAsync(PlazaDb db, List<PushNote> wanted, CancellationToken ct)
    {
        if (wanted.Count == 0)
        {
            return 0;
        }
        var deviceIds = wanted.Select(n => n.DeviceId).Distinct().ToList();
        var topics = wanted.Select(n => n.Topic).Distinct().ToList();
        var known = (await db.Set<PushNote>().IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(n => deviceIds.Contains(n.DeviceId) && topics.Contains(n.Topic)).Select(n => new { n.DeviceId, n.Topic }).ToListAsync(ct))
            .Select(n => (n.DeviceId, n.Topic)).ToHashSet();
        var queued = await db.AddEachUnlessTakenAsync(wanted.Where(n => !known.Contains((n.DeviceId, n.Topic))), ct);
        if (queued > 0)
        {
            worker.Wake();
        }
        return queued;
    }

    /// <summary>The order at a glance: where it goes, then its lines, in the device's language.</summary>
    private static string Summary(Order order, Dictionary<(int, string), string> tables, string language)
    {
        var where = order.Type switch
        {
            OrderType.DineIn => tables.GetValueOrDefault((order.ShopId, order.TableCode ?? "")) ?? Text.Say("Table {0}", order.TableCode ?? ""),
            OrderType.Delivery => Text.Say("Delivery"),
            _ => Text.Say("Pickup"),
        };
        var lines = string.Join(OrderWords.ListSeparator(language), order.Lines.OrderBy(l => l.Id).Select(l => $"{l.Quantity}× {l.Name}"));
        return $"{where} · {lines}";
    }

    private static string Clip(string text, int length) => text.Length > length ? text[..(length - 1)] + "…" : text;

    [LoggerMessage(Level = LogLevel.Error, Message = "Queueing order notifications failed; trying again shortly.")]
    private static partial void TellingFailed(ILogger logger, Exception exception);
}
