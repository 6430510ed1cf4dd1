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

/// <summary>The shop's translations into one language, looked up by kind and id, falling back to the original text.</summary>
public sealed class MenuTexts(Dictionary<(MenuTextKind, int), MenuTranslation> texts)
{
    public static readonly MenuTexts None = new([]);

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
    /// own language otherwise; from the cached catalog, with open and paused as of now.
    /// </summary>
    public static MenuResponse Build(ShopCatalog catalog, TimeProvider clock)
    {
        var shop = catalog.Shop;
        var now = NodaTime.Instant.FromDateTimeOffset(clock.GetUtcNow());
        return new MenuResponse(
            new MenuShop(shop.Slug, shop.Name, shop.Description, shop.Currency, shop.PricesIncludeTax,
                new OpeningSchedule(shop).IsOpenAt(now), shop.IsPausedAt(now.ToDateTimeUtc()), shop.Address),
            catalog.View(LanguageOf(System.Globalization.CultureInfo.CurrentUICulture)));
    }

    /// <summary>The shipped language a culture falls under: zh-CN, zh-SG and zh-Hans are "zh-Hans"; the rest "en".</summary>
    public static string LanguageOf(System.Globalization.CultureInfo culture) =>
        culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-Hans" : "en";

    public static List<string> AllergenNames(Allergens allergens) =>
        [.. Enum.GetValues<Allergens>().Where(a => a != Allergens.None && allergens.HasFlag(a)).Select(a => a.ToString().ToLowerInvariant())];
}
