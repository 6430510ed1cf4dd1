using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Plaza.Common;
using Plaza.Features.Notifications;
using Plaza.Features.Ordering;

namespace Plaza.Features.Console;

public sealed record BoardEvent(Guid OrderId, string Status);

/// <summary>
/// The order board's live stream: one connection per open board, every change of the shop's orders;
/// a signed-in person may hold only <see cref="LiveStreamLimits.BoardStreamsPerUser"/> at once.
/// </summary>
public static class BoardEvents
{
    public static IResult Stream(ShopScope scope, OrderEvents events, ConsoleMember member, LiveStreams streams, Attendance attendance, HttpContext http, CancellationToken ct)
    {
        if (streams.TryOpen(http, ("board:" + member.AccountId, streams.Limits.BoardStreamsPerUser)) is { } refused)
        {
            return refused;
        }
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Changes(scope.ShopId, events, attendance, ct));
    }

    private static async IAsyncEnumerable<SseItem<BoardEvent>> Changes(int shopId, OrderEvents events, Attendance attendance, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = events.Subscribe(shopId, null);
        // An open board is someone watching: the storefront takes orders while it is open (and a while after).
        await using var watching = await attendance.BoardOpenedAsync(shopId, ct);
        yield return new SseItem<BoardEvent>(new BoardEvent(Guid.Empty, "connected"), "hello");
        while (!ct.IsCancellationRequested)
        {
            var change = await subscription.NextAsync(TimeSpan.FromSeconds(20), ct);
            if (ct.IsCancellationRequested)
            {
                yield break;
            }
            if (change is null)
            {
                await attendance.SeenAsync(shopId, ct);
            }
            // A quiet board still gets a ping every 20 s, so proxies keep the connection open.
            yield return change is null
                ? new SseItem<BoardEvent>(new BoardEvent(Guid.Empty, "ping"), "ping")
                : new SseItem<BoardEvent>(new BoardEvent(change.OrderId, OrderWords.Status(change.Status)), "order");
        }
    }
}
