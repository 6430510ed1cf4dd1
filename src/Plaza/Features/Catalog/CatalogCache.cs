using Plaza.Common;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Catalog;

/// <summary>
/// One shop's catalog as of one <see cref="Shop.CatalogVersion"/>: the shop with its hours and
/// taxes, its tables, its menu in display order and every translation. Shared by concurrent
/// requests, so nothing may change it or attach it to a DbContext; writes go through a fresh,
/// tracked load and the triggers move the version, which retires this snapshot.
/// </summary>
public sealed class ShopCatalog
{
    private readonly ConcurrentDictionary<string, List<MenuCategory>> views = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Language, bool OpenNow, bool Paused), byte[]> menuJson = new();
    private readonly Dictionary<string, MenuTexts> texts;

    private ShopCatalog(Shop shop, List<Category> categories, Dictionary<string, ShopTable> tables, Dictionary<string, MenuTexts> texts)
    {
        Shop = shop;
        Categories = categories;
        Items = categories.SelectMany(c => c.Items).ToDictionary(i => i.Id);
        Tables = tables;
        this.texts = texts;
    }

    public Shop Shop { get; }

    public long Version => Shop.CatalogVersion;

    /// <summary>Categories in display order, each with its items, option groups and options in order.</summary>
    public List<Category> Categories { get; }

    public Dictionary<int, Item> Items { get; }

    /// <summary>Tables by their code (the part of a table link after <c>?table=</c>).</summary>
    public Dictionary<string, ShopTable> Tables { get; }

    /// <summary>The menu's categories as a customer reading <paramref name="language"/> sees them; built once per language.</summary>
    public List<MenuCategory> View(string language) => views.GetOrAdd(language, BuildView);

    /// <summary>
    /// The menu API's answer as UTF-8 JSON, made once per language and open/paused state of this snapshot (a change
    /// to the catalog makes a new snapshot); <paramref name="serialize"/> writes it the first time.
    /// </summary>
    public byte[] MenuJson(MenuResponse menu, string language, Func<MenuResponse, byte[]> serialize) =>
        menuJson.GetOrAdd((language, menu.Shop.OpenNow, menu.Shop.Paused), static (_, a) => a.serialize(a.menu), (menu, serialize));

    private List<MenuCategory> BuildView(string language)
    {
        var t = texts.GetValueOrDefault(language) ?? MenuTexts.None;
        var c = Shop.Currency;
        return [.. Categories.Select(cat => new MenuCategory(cat.Id, t.Name(MenuTextKind.Category, cat.Id, cat.Name), [.. cat.Items.Select(i => new MenuItem(
            i.Id, t.Name(MenuTextKind.Item, i.Id, i.Name), t.Description(MenuTextKind.Item, i.Id, i.Description), MoneyDto.Of(i.Price, c), i.ImageUrl, [.. i.TagList],
            MenuQuery.AllergenNames(i.Allergens), !i.IsAvailable, i.Stock,
            [.. i.OptionGroups.Select(g => new MenuOptionGroup(g.Id, t.Name(MenuTextKind.OptionGroup, g.Id, g.Name), g.MinSelect, g.MaxSelect,
                [.. g.Options.Select(o => new MenuOption(o.Id, t.Name(MenuTextKind.Option, o.Id, o.Name), MoneyDto.Of(o.PriceDelta, c)))]))]))]))];
    }

    /// <summary>Reads the shop's whole catalog; the shop row first, so the version never claims more than the rest holds.</summary>
    public static async Task<ShopCatalog?> LoadAsync(PlazaDb db, int shopId, CancellationToken ct)
    {
        var shop = await db.Shops.AsNoTracking()
            .Include(s => s.OpeningHours)
            .Include(s => s.TaxRates)
            .Include(s => s.ClosedDates)
            .AsSplitQuery()
            .FirstOrDefaultAsync(s => s.Id == shopId, ct);
        if (shop is null)
        {
            return null;
        }
        // Explicit shop condition with the scope filter lifted: the snapshot is the shop's, whatever the request's scope.
        var categories = await db.Categories.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(c => c.ShopId == shopId)
            .OrderBy(c => c.Position).ThenBy(c => c.Id)
            .Include(c => c.Items.OrderBy(i => i.Position).ThenBy(i => i.Id))
            .ThenInclude(i => i.OptionGroups.OrderBy(g => g.Position).ThenBy(g => g.Id))
            .ThenInclude(g => g.Options.OrderBy(o => o.Position).ThenBy(o => o.Id))
            .AsSplitQuery()
            .ToListAsync(ct);
        var tables = await db.Tables.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(t => t.ShopId == shopId && !t.Retired).ToDictionaryAsync(t => t.Code, StringComparer.Ordinal, ct);
        var translations = await db.MenuTranslations.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(t => t.ShopId == shopId).ToListAsync(ct);
        var texts = translations.GroupBy(t => t.Language, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new MenuTexts(g.ToDictionary(t => (t.Kind, t.TargetId))), StringComparer.Ordinal);
        return new ShopCatalog(shop, categories, tables, texts);
    }
}

/// <summary>
/// Keeps each shop's <see cref="ShopCatalog"/> in memory and checks it with one indexed read of
/// (id, version) per request, so a storefront or order request costs one query instead of nine
/// while every process on the store still sees a change at its next request. On SQLite even that read is
/// skipped while the store's <see cref="StoreWrites.Stamp"/> shows that nothing at all was committed since it was
/// last made for the slug.
/// </summary>
public sealed class CatalogCache(CatalogCacheOptions options, PlazaMetrics metrics, StoreWrites writes) : IDisposable
{
    // Per instance, not static: a compiled query belongs to one model, and a process may host both stores (tests do).
    private readonly Func<PlazaDb, string, CancellationToken, Task<ShopHead?>> headBySlug =
        EF.CompileAsyncQuery((PlazaDb db, string slug, CancellationToken ct) =>
            db.Shops.AsNoTracking().Where(s => s.Slug == slug).Select(s => new ShopHead(s.Id, s.CatalogVersion)).FirstOrDefault());

    private readonly MemoryCache snapshots = new(new MemoryCacheOptions { SizeLimit = options.Shops });

    /// <summary>Each known slug's head as read while the store's stamp was <c>Stamp</c>; unknown slugs are never kept.</summary>
    private readonly ConcurrentDictionary<string, (ShopHead Head, long Stamp)> heads = new(StringComparer.Ordinal);

    private sealed record ShopHead(int Id, long Version);

    /// <summary>
    /// The current catalog of the shop with this slug, or null when there is no such shop; <paramref name="db"/> is
    /// asked for only when the store has to be read.
    /// </summary>
    public async Task<ShopCatalog?> FindAsync(Func<PlazaDb> db, string slug, CancellationToken ct)
    {
        // The stamp is taken before the read: a commit landing between the two moves the stamp, so the next request reads again.
        var stamp = writes.Stamp();
        ShopHead? head;
        if (stamp is { } now && heads.TryGetValue(slug, out var known) && known.Stamp == now)
        {
            head = known.Head;
        }
        else
        {
            head = await headBySlug(db(), slug, ct);
            if (head is null)
            {
                return null;
            }
            if (stamp is { } then)
            {
                if (heads.Count >= options.Shops)
                {
                    heads.Clear(); // slugs renamed or retired would otherwise stay for ever
                }
                heads[slug] = (head, then);
            }
        }
        if (snapshots.TryGetValue(head.Id, out ShopCatalog? cached) && cached!.Version >= head.Version)
        {
            metrics.MenuRead(hit: true);
            return cached;
        }
        metrics.MenuRead(hit: false);
        var loaded = await ShopCatalog.LoadAsync(db(), head.Id, ct);
        if (loaded is not null)
        {
            snapshots.Set(head.Id, loaded, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = options.IdleFor });
        }
        return loaded;
    }

    public void Dispose() => snapshots.Dispose();
}

/// <summary>How many shops' catalogs a node keeps in memory, and for how long one nobody asks for stays.</summary>
public sealed class CatalogCacheOptions
{
    public int Shops { get; set; } = 5000;
    public TimeSpan IdleFor { get; set; } = TimeSpan.FromMinutes(30);
}
