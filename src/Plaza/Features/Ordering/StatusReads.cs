using System.Globalization;
using Microsoft.Extensions.Caching.Memory;
using Plaza.Data;

namespace Plaza.Features.Ordering;

/// <summary>
/// An order as its customer reads it (<c>GET …/orders/{id}</c>, which an order page without a live stream polls),
/// kept in memory against the store's <see cref="StoreWrites.Stamp"/>: while nothing at all has been committed since
/// the answer was made, it is still the answer, so polls between writes cost no query. Any commit, by any process,
/// moves the stamp and the next read goes to the store. Kept per shop, order and language (reasons are worded in it).
/// </summary>
public sealed class StatusReads(StoreWrites writes) : IDisposable
{
    private readonly MemoryCache answers = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    private sealed record Known(long Stamp, OrderResponse Answer);

    /// <summary>The order with this id in the scoped shop as its customer sees it, or null; <paramref name="db"/> is asked for only to read the store.</summary>
    public async Task<OrderResponse?> FindAsync(Func<PlazaDb> db, int shopId, Guid id, CancellationToken ct)
    {
        var key = (shopId, id, CultureInfo.CurrentUICulture.Name);
        // Taken before the read: a commit landing between the two moves the stamp, and the next poll reads again.
        var stamp = writes.Stamp();
        if (stamp is { } now && answers.TryGetValue(key, out Known? known) && known!.Stamp == now)
        {
            return known.Answer;
        }
        if (await OrderQueries.FindAsync(db(), id, ct) is not { } order)
        {
            return null;
        }
        var answer = OrderResponse.From(order);
        if (stamp is { } then)
        {
            answers.Set(key, new Known(then, answer), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(5) });
        }
        return answer;
    }

    public void Dispose() => answers.Dispose();
}
