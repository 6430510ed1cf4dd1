using Plaza.Features.Catalog;

namespace Plaza.Features.Ordering;

/// <summary>A cart's lines matched against the menu: priced lines, or what is wrong with them by field.</summary>
public sealed record CartCheck(List<PricedLine> Lines, Dictionary<string, string[]> Invalid, Dictionary<string, string[]> SoldOut);

public static class Cart
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 99;

    /// <summary>
    /// Checks each line against the shop's cached catalog: known item, known options of that item,
    /// each group's min/max, availability and stock. Stock here is a first look; the order's
    /// conditional decrement is what holds.
    /// </summary>
    public static CartCheck Check(ShopCatalog catalog, IReadOnlyList<OrderItemRequest?>? requested)
    {
        var shop = catalog.Shop;
        var invalid = new Dictionary<string, string[]>();
        var soldOut = new Dictionary<string, string[]>();
        var lines = new List<PricedLine>();
        if (requested is null || requested.Count == 0)
        {
            invalid["items"] = [Text.Say("Add at least one item.")];
            return new(lines, invalid, soldOut);
        }
        if (requested.Count > MaxLines)
        {
            invalid["items"] = [Text.Say("An order has at most {0} lines.", MaxLines)];
            return new(lines, invalid, soldOut);
        }

        var items = catalog.Items;
        var unitsWanted = new Dictionary<int, int>();
        for (var index = 0; index < requested.Count; index++)
        {
            var line = requested[index];
            var at = $"items[{index}]";
            if (line is null)
            {
                // JSON allows [null]; a line is an object.
                invalid[at] = [Text.Say("Each line is an object with an itemId and a quantity.")];
                continue;
            }
            if (!items.TryGetValue(line.ItemId, out var item))
            {
                invalid[$"{at}.itemId"] = [Text.Say("There is no item {0} on this menu.", line.ItemId)];
                continue;
            }
            if (line.Quantity is < 1 or > MaxQuantity)
            {
                invalid[$"{at}.quantity"] = [Text.Say("Quantity must be between 1 and {0}.", MaxQuantity)];
                continue;
            }
            var optionErrors = ChosenOptions(item, line.OptionIds ?? [], out var chosen);
            if (optionErrors.Count > 0)
            {
                invalid[$"{at}.optionIds"] = [.. optionErrors];
                continue;
            }
            unitsWanted[item.Id] = unitsWanted.GetValueOrDefault(item.Id) + line.Quantity;
            if (!item.IsAvailable)
            {
                soldOut[$"{at}.itemId"] = [Text.Say("{0} is sold out.", item.Name)];
                continue;
            }
            if (item.Stock is { } stock && unitsWanted[item.Id] > stock)
            {
                soldOut[$"{at}.quantity"] = [Text.Say("Only {0} × {1} left.", stock, item.Name)];
                continue;
            }
            lines.Add(Pricing.PriceLine(shop, item, chosen, line.Quantity));
        }
        return new(lines, invalid, soldOut);
    }

    private static List<string> ChosenOptions(Item item, List<int> optionIds, out List<Option> chosen)
    {
        var errors = new List<string>();
        chosen = [];
        if (optionIds.Count != optionIds.Distinct().Count())
        {
            errors.Add(Text.Say("An option is chosen twice."));
            return errors;
        }
        var byId = item.OptionGroups.SelectMany(g => g.Options).ToDictionary(o => o.Id);
        foreach (var id in optionIds)
        {
            if (byId.TryGetValue(id, out var option))
            {
                chosen.Add(option);
            }
            else
            {
                errors.Add(Text.Say("Option {0} is not offered with {1}.", id, item.Name));
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        foreach (var group in item.OptionGroups.OrderBy(g => g.Position))
        {
            var count = group.Options.Count(o => optionIds.Contains(o.Id));
            if (count < group.MinSelect)
            {
                errors.Add(group.MinSelect == 1 ? Text.Say("Choose {0}.", group.Name) : Text.Say("Choose at least {0} for {1}.", group.MinSelect, group.Name));
            }
            else if (count > group.MaxSelect)
            {
                errors.Add(Text.Say("Choose at most {0} for {1}.", group.MaxSelect, group.Name));
            }
        }
        var groupPosition = item.OptionGroups.ToDictionary(g => g.Id, g => g.Position);
        chosen = [.. chosen.OrderBy(o => groupPosition[o.OptionGroupId]).ThenBy(o => o.Position)];
        return errors;
    }
}
