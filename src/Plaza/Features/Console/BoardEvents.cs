using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Plaza.Common;
using Plaza.Features.Notifications;
using Plaza.Features.Ordering;

namespace Plaza.Features.Console;

public sealed record BoardEvent(Guid OrderId, string Status);

/// <summary>
/// The order board's live stream: one connection per open board, every change of the shop's orders;
/// a signed-in person may hold only <see cref="LiveStreamLimits.BoardStreamsPerUser"/> at once.
/// <para>
/// Server-sent events, written here rather than through <c>TypedResults.ServerSentEvents</c> because a shop may
/// have many boards open (a counter, a kitchen, the owner's phone) while orders pour in: each change is formatted
/// once for every stream (<see cref="Frame"/>), and a stream writes what has come in one flush at most every
/// <see cref="FlushEvery"/>.
/// </para>
/// </summary>
public static class BoardEvents
{
    /// <summary>A quiet board still gets a ping this often, so proxies keep the connection open.</summary>
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A stream writes to its socket at most this often: the first change after a quiet spell goes at once, and in a
    /// rush the changes of the next 50 ms go together. Nobody sees 50 ms on a board; 200 open boards writing every
    /// order one by one cost the node two thirds of its order rate (bench/NOTES.md).
    /// </summary>
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(50);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly byte[] Hello = Format("hello", new BoardEvent(Guid.Empty, "connected"));
    private static readonly byte[] Ping = Format("ping", new BoardEvent(Guid.Empty, "ping"));

    /// <summary>Each change's frame, made by the first stream that writes it and shared by the others.</summary>
    private static readonly ConditionalWeakTable<OrderChanged, byte[]> Frames = [];

    public static IResult Stream(ShopScope scope, OrderEvents events, ConsoleMember member, LiveStreams streams, Attendance attendance, HttpContext http)
    {
        if (streams.TryOpen(http, ("board:" + member.AccountId, streams.Limits.BoardStreamsPerUser)) is { } refused)
        {
            return refused;
        }
        return new Result(scope.ShopId, events, attendance);
    }

    private static byte[] Frame(OrderChanged change) =>
        Frames.GetValue(change, c => Format("order", new BoardEvent(c.OrderId, OrderWords.Status(c.Status))));

    private static byte[] Format(string type, BoardEvent data) =>
        Encoding.UTF8.GetBytes($"event: {type}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n");

    private sealed class Result(int shopId, OrderEvents events, Attendance attendance) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var ct = http.RequestAborted;
            var response = http.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-store";
            response.Headers["X-Accel-Buffering"] = "no";
            // Never compressed or buffered: each event must leave when it is written.
            response.Headers.ContentEncoding = "identity";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            using var subscription = events.Subscribe(shopId, null);
            // An open board is someone watching: the storefront takes orders while it is open (and a while after).
            await using var watching = await attendance.BoardOpenedAsync(shopId, ct);
            var body = response.BodyWriter;
            var flushed = 0L;
            try
            {
                body.Write(Hello);
                await body.FlushAsync(ct);
                while (!ct.IsCancellationRequested)
                {
                    var change = await subscription.NextAsync(PingEvery, ct);
                    if (change is null)
                    {
                        await attendance.SeenAsync(shopId, ct);
                        body.Write(Ping);
                    }
                    else
                    {
                        if (Stopwatch.GetElapsedTime(flushed) is var since && since < FlushEvery)
                        {
                            await Task.Delay(FlushEvery - since, ct);
                        }
                        // Everything waiting by now goes out with this one, in one write to the socket.
                        do
                        {
                            body.Write(Frame(change));
                        }
                        while (subscription.TryNext(out change));
                    }
                    await body.FlushAsync(ct);
                    flushed = Stopwatch.GetTimestamp();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The board was closed.
            }
        }
    }
}
