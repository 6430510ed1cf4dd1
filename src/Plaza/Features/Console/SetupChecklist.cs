using Plaza.Features.Catalog;
using Plaza.Features.Channels;

namespace Plaza.Features.Console;

/// <summary>
/// What a shop still lacks before it can open, shown to owners at the top of the board until nothing is
/// left: each step links to the page that fixes it. Read from the cached catalog, so it costs the board nothing.
/// </summary>
public static class SetupChecklist
{
    /// <summary>One step; <see cref="Page"/> is the console page under the shop (null: nothing in the console fixes it).</summary>
    public sealed record Step(string Label, string? Page, bool Done);

    public static IReadOnlyList<Step> For(ShopCatalog catalog, OrderLinks links)
    {
        var shop = catalog.Shop;
        return
        [
            new("Set your opening hours", "settings", shop.OpeningHours.Count > 0),
            // A new shop starts at 0 %: a step until the owner sets a rate (a shop that charges no tax can ignore it).
            new("Set your tax rates", "taxes", shop.TaxRates.Any(r => r.BasisPoints > 0)),
            new("Put at least one item on the menu", "menu", catalog.Categories.Any(c => c.Items.Count > 0)),
            new("Add your tables for orders at the table", "tables", !shop.AcceptsDineIn || catalog.Tables.Count > 0),
            new("Ask whoever runs this node to set Plaza:PublicUrl, so printed codes lead here", null, links.CanPrint),
        ];
    }
}
