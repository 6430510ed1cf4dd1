using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Catalog;

public sealed record MenuOption(int Id, string Name, MoneyDto PriceDelta);

public sealed record MenuOptionGroup(int Id, string Name, int MinSelect, int MaxSelect, List<MenuOption> Options);

public sealed record MenuItem(
    int Id,
    string Name,
    string Description,
    MoneyDto Price,
    string? ImageUrl,
    List<string> Tags,
    List<string> Allergens,
    bool SoldOut,
    int? Stock,
    List<MenuOptionGroup> OptionGroups);

public sealed record MenuCategory(int Id, string Name, List<MenuItem> Items);

public sealed record MenuShop(string Slug, string Name, string Description, string Currency, bool PricesIncludeTax, bool OpenNow, bool Paused, string Address);

public sealed record MenuResponse(MenuShop Shop, List<MenuCategory> Categories);

/// <summary>The scoped shop's menu in display order, read in one go for the storefront and the API.</summary>
/// <summary>The shop's translations into one language, looked up by kind and id, falling back to the original text.</summary>
public sealed class MenuTexts(Dictionary<(MenuTextKind, int), MenuTranslation> texts)
{
    public static async Task<MenuTexts> LoadAsync(PlazaDb db, string language, CancellationToken ct) =>
        new(await db.MenuTranslations.AsNoTracking().Where(t => t.Language == language).ToDictionaryAsync(t => (t.Kind, t.TargetId), ct));

    public string Name(MenuTextKind kind, int id, string original) =>
        texts.TryGetValue((kind, id), out var t) && t.Name.Length > 0 ? t.Name : original;

    public string Description(MenuTextKind kind, int id, string original) =>
        texts.TryGetValue((kind, id), out var t) && t.Description.Length > 0 ? t.Description : original;

    public MenuTranslation? Find(MenuTextKind kind, int id) => texts.GetValueOrDefault((kind, id));
}

public static class MenuQuery
{
    /// <summary>
    /// The menu in the customer's language where the shop has translated an item, in the shop's
    /// own language otherwise.
    /// </summary>
    public static async Task<MenuResponse> LoadAsync(PlazaDb db, Shop shop, TimeProvider clock, CancellationToken ct)
    {
        var language = LanguageOf(System.Globalization.CultureInfo.CurrentUICulture);
        var categories = await db.Categories.AsNoTracking()
            .OrderBy(c => c.Position).ThenBy(c => c.Id)
            .Include(c => c.Items.OrderBy(i => i.Position).ThenBy(i => i.Id))
            .ThenInclude(i => i.OptionGroups.OrderBy(g => g.Position).ThenBy(g => g.Id))
            .ThenInclude(g => g.Options.OrderBy(o => o.Position).ThenBy(o => o.Id))
            .AsSplitQuery()
            .ToListAsync(ct);
        var texts = await MenuTexts.LoadAsync(db, language, ct);
        var now = NodaTime.Instant.FromDateTimeOffset(clock.GetUtcNow());
        var c = shop.Currency;
        return new MenuResponse(
            new MenuShop(shop.Slug, shop.Name, shop.Description, c, shop.PricesIncludeTax,
                new OpeningSchedule(shop).IsOpenAt(now), shop.IsPausedAt(now.ToDateTimeUtc()), shop.Address),
            [.. categories.Select(cat => new MenuCategory(cat.Id, texts.Name(MenuTextKind.Category, cat.Id, cat.Name), [.. cat.Items.Select(i => new MenuItem(
                i.Id, texts.Name(MenuTextKind.Item, i.Id, i.Name), texts.Description(MenuTextKind.Item, i.Id, i.Description), MoneyDto.Of(i.Price, c), i.ImageUrl, [.. i.TagList], AllergenNames(i.Allergens),
                !i.IsAvailable, i.Stock,
                [.. i.OptionGroups.Select(g => new MenuOptionGroup(g.Id, texts.Name(MenuTextKind.OptionGroup, g.Id, g.Name), g.MinSelect, g.MaxSelect,
                    [.. g.Options.Select(o => new MenuOption(o.Id, texts.Name(MenuTextKind.Option, o.Id, o.Name), MoneyDto.Of(o.PriceDelta, c)))]))]))]))]);
    }

    /// <summary>The shipped language a culture falls under: zh-CN, zh-SG and zh-Hans are "zh-Hans"; the rest "en".</summary>
    public static string LanguageOf(System.Globalization.CultureInfo culture) =>
        culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-Hans" : "en";

    public static List<string> AllergenNames(Allergens allergens) =>
        [.. Enum.GetValues<Allergens>().Where(a => a != Allergens.None && allergens.HasFlag(a)).Select(a => a.ToString().ToLowerInvariant())];
}
