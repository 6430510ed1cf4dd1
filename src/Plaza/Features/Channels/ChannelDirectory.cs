using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Plaza.Data;

namespace Plaza.Features.Channels;

/// <summary>
/// Finds a shop's channels by code or id, and makes the automatic ones on first use. A channel's id,
/// kind, code and place in its share tree never change, so they are kept in memory once read: a
/// tracked link, a table page's visit and an attributed order cost no read after the first.
/// </summary>
public sealed class ChannelDirectory(IServiceScopeFactory scopes, TimeProvider clock) : IDisposable
{
    /// <summary>What never changes about a channel (its name and retirement can).</summary>
    public sealed record Entry(int Id, int ShopId, ChannelKind Kind, string Code, int? RootId, int Depth);

    // Bounded: share links grow with customers, and an unknown code must not grow memory.
    private readonly MemoryCache entries = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async Task<Entry?> FindAsync(int shopId, string code, CancellationToken ct)
    {
        if (entries.TryGetValue((shopId, code), out Entry? known))
        {
            return known;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var channel = await Channels(db, shopId).FirstOrDefaultAsync(c => c.Code == code, ct);
        return channel is null ? null : Keep(channel);
    }

    public async Task<Entry?> FindAsync(int shopId, int id, CancellationToken ct)
    {
        if (entries.TryGetValue((shopId, id), out Entry? known))
        {
            return known;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var channel = await Channels(db, shopId).FirstOrDefaultAsync(c => c.Id == id, ct);
        return channel is null ? null : Keep(channel);
    }

    /// <summary>The channel with this code, made when it does not exist yet (automatic channels, share links).</summary>
    public async Task<Entry> EnsureAsync(int shopId, string code, ChannelKind kind, string name, CancellationToken ct, Entry? parent = null)
    {
        if (await FindAsync(shopId, code, ct) is { } existing)
        {
            return existing;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var channel = new Channel
        {
            ShopId = shopId,
            Kind = kind,
            Code = code,
            Name = name,
            ParentId = parent?.Id,
            RootId = parent is null ? null : parent.Kind == ChannelKind.Share ? parent.RootId : parent.Id,
            Depth = parent is { Kind: ChannelKind.Share } ? parent.Depth + 1 : kind == ChannelKind.Share ? 1 : 0,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Channels.Add(channel);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Made at the same moment by another request or process: the unique (ShopId, Code) kept one.
            db.ChangeTracker.Clear();
            return Keep(await Channels(db, shopId).SingleAsync(c => c.Code == code, ct));
        }
        return Keep(channel);
    }

    private static IQueryable<Channel> Channels(PlazaDb db, int shopId) =>
        // Reached before or outside a shop scope (background flushes): the shop is named here instead.
        db.Channels.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().Where(c => c.ShopId == shopId);

    private Entry Keep(Channel channel)
    {
        var entry = new Entry(channel.Id, channel.ShopId, channel.Kind, channel.Code, channel.RootId, channel.Depth);
        var options = new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) };
        entries.Set((channel.ShopId, channel.Code), entry, options);
        entries.Set((channel.ShopId, channel.Id), entry, options);
        return entry;
    }

    public void Dispose() => entries.Dispose();
}
