using System.Globalization;
using System.Threading.Channels;
using Npgsql;

namespace Plaza.Features.Ordering;

/// <summary>
/// Carries order changes between app processes that share one PostgreSQL, with LISTEN/NOTIFY:
/// each process sends its own changes and delivers everyone else's to its local streams. A
/// notification lost while reconnecting is covered by the order page's periodic re-read.
/// </summary>
public sealed partial class PostgresOrderRelay(OrderEvents events, IConfiguration configuration, ILogger<PostgresOrderRelay> log) : BackgroundService
{
    private const string ChannelName = "plaza_order_events";
    private const int MaxPerSend = 256;
    private readonly string origin = Guid.NewGuid().ToString("N");
    private readonly Channel<OrderChanged> outgoing = Channel.CreateBounded<OrderChanged>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        events.Forward = change => outgoing.Writer.TryWrite(change);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString("Plaza")!;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var listener = new NpgsqlConnection(connectionString);
                await listener.OpenAsync(stoppingToken);
                listener.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", listener))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                await using var sender = new NpgsqlConnection(connectionString);
                await sender.OpenAsync(stoppingToken);
                using var failed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var sending = SendAsync(sender, failed.Token);
                var listening = ListenAsync(listener, failed.Token);
                await Task.WhenAny(sending, listening);
                await failed.CancelAsync();
                await Task.WhenAll(sending, listening);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogRelayFailed(log, e);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private static async Task ListenAsync(NpgsqlConnection listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await listener.WaitAsync(ct);
        }
    }

    /// <summary>Whatever changes are waiting go in one statement (one round trip), up to <see cref="MaxPerSend"/>.</summary>
    private async Task SendAsync(NpgsqlConnection sender, CancellationToken ct)
    {
        var payloads = new List<string>(MaxPerSend);
        while (await outgoing.Reader.WaitToReadAsync(ct))
        {
            while (payloads.Count < MaxPerSend && outgoing.Reader.TryRead(out var change))
            {
                payloads.Add(string.Create(CultureInfo.InvariantCulture, $"{origin}|{change.ShopId}|{change.OrderId}|{(int)change.Status}"));
            }
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, p) FROM unnest(@payloads) WITH ORDINALITY AS n(p, i) ORDER BY i", sender);
            notify.Parameters.AddWithValue("channel", ChannelName);
            notify.Parameters.AddWithValue("payloads", payloads.ToArray());
            await notify.ExecuteNonQueryAsync(ct);
            payloads.Clear();
        }
    }

    private void Receive(string payload)
    {
        var parts = payload.Split('|');
        if (parts.Length == 4 && parts[0] != origin
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var shopId)
            && Guid.TryParse(parts[2], out var orderId)
            && int.TryParse(parts[3], CultureInfo.InvariantCulture, out var status) && Enum.IsDefined((OrderStatus)status))
        {
            events.Deliver(new OrderChanged(shopId, orderId, (OrderStatus)status));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        events.Forward = null;
        await base.StopAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order event relay lost its PostgreSQL connection; reconnecting")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}
