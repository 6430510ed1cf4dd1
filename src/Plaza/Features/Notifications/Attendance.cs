using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Features.Notifications;

/// <summary>
/// Whether anyone at a shop would see a new order: a board open on this process, a board seen by any
/// process within the shop's <see cref="Shop.UnattendedMinutes"/> (kept in <see cref="ShopAttendance"/>),
/// or a staff device subscribed to push. A shop nobody attends takes no orders, so none is auto-rejected
/// for want of someone to accept it. Read on every order, so the store is asked at most every few
/// seconds per shop; a board connecting is known here at once and written through for other processes.
/// </summary>
public sealed class Attendance(IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>How long what the store said is trusted before it is asked again.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    /// <summary>How often an open board's presence is written to the store.</summary>
    public static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(30);

    private sealed class State
    {
        public int OpenBoards;
        public DateTime LastSeen;
        public DateTime LastWritten;
        public DateTime StoreReadAt;
        public DateTime StoreLastSeen;
        public bool StoreHasDevices;
    }

    private readonly ConcurrentDictionary<int, State> shops = new();

    private State Of(int shopId) => shops.GetOrAdd(shopId, _ => new State());

    /// <summary>A board of the shop opened its live stream: the shop is attended from now on until it closes.</summary>
    public async Task<IAsyncDisposable> BoardOpenedAsync(int shopId, CancellationToken ct)
    {
        var state = Of(shopId);
        Interlocked.Increment(ref state.OpenBoards);
        await SeenAsync(shopId, force: true, ct);
        return new Open(this, shopId);
    }

    /// <summary>An open board is still there (its stream's keep-alive); written to the store now and then.</summary>
    public Task SeenAsync(int shopId, CancellationToken ct) => SeenAsync(shopId, force: false, ct);

    private async Task SeenAsync(int shopId, bool force, CancellationToken ct)
    {
        var state = Of(shopId);
        var now = clock.GetUtcNow().UtcDateTime;
        state.LastSeen = now;
        if (!force && now - state.LastWritten < WriteEvery)
        {
            return;
        }
        state.LastWritten = now;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        if (await db.Set<ShopAttendance>().IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(a => a.ShopId == shopId).ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSeenAt, now), ct) == 0)
        {
            db.Add(new ShopAttendance { ShopId = shopId, LastSeenAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another process wrote it first; the next keep-alive updates it.
            }
        }
    }

    private void Closed(int shopId)
    {
        var state = Of(shopId);
        Interlocked.Decrement(ref state.OpenBoards);
        // The board was there until now: the shop stays attended for the window from here.
        state.LastSeen = clock.GetUtcNow().UtcDateTime;
    }

    /// <summary>How many boards of the shop have their live stream open on this process.</summary>
    public int OpenBoards(int shopId) => shops.TryGetValue(shopId, out var state) ? Volatile.Read(ref state.OpenBoards) : 0;

    /// <summary>A staff device subscribed or went: what the store says is read again at the next order.</summary>
    public void Forget(int shopId) => Of(shopId).StoreReadAt = default;

    /// <summary>True when someone would see an order placed now, or the shop does not ask for it.</summary>
    public async ValueTask<bool> IsAttendedAsync(Shop shop, CancellationToken ct)
    {
        if (shop.UnattendedMinutes <= 0)
        {
            return true;
        }
        var state = Of(shop.Id);
        var now = clock.GetUtcNow().UtcDateTime;
        var window = TimeSpan.FromMinutes(shop.UnattendedMinutes);
        if (Volatile.Read(ref state.OpenBoards) > 0 || now - state.LastSeen <= window)
        {
            return true;
        }
        if (now - state.StoreReadAt > Recheck)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            state.StoreLastSeen = await db.Set<ShopAttendance>().IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(a => a.ShopId == shop.Id).Select(a => (DateTime?)a.LastSeenAt).FirstOrDefaultAsync(ct) ?? default;
            state.StoreHasDevices = await db.Set<PushDevice>().IgnoreQueryFilters([PlazaDb.ShopFilter])
                .AnyAsync(d => d.ShopId == shop.Id && d.Audience == PushAudience.Staff, ct);
            state.StoreReadAt = now;
        }
        return state.StoreHasDevices || now - state.StoreLastSeen <= window;
    }

    private sealed class Open(Attendance attendance, int shopId) : IAsyncDisposable
    {
        private int closed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
            {
                attendance.Closed(shopId);
            }
            return ValueTask.CompletedTask;
        }
    }
}
