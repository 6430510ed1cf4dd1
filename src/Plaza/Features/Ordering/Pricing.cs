using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Ordering;

/// <summary>What one cart line costs, with the options the customer chose.</summary>
public sealed record PricedLine(Item Item, IReadOnlyList<Option> Options, int Quantity, long UnitPrice, long LineTotal, int TaxBasisPoints);

/// <summary>Tax at one rate: the amount it applies to and the tax in it (or on it).</summary>
public sealed record TaxLine(int BasisPoints, long Base, long Tax);

/// <summary>A cart priced by the server: the only source of truth for totals.</summary>
public sealed record Quote(
    string Currency,
    IReadOnlyList<PricedLine> Lines,
    long ItemsTotal,
    long DeliveryFee,
    long Tip,
    IReadOnlyList<TaxLine> Taxes,
    bool PricesIncludeTax)
{
    public long Tax => Taxes.Sum(t => t.Tax);

    /// <summary>Tax-inclusive prices already contain the tax; tax-exclusive ones have it added.</summary>
    public long Total => ItemsTotal + DeliveryFee + Tip + (PricesIncludeTax ? 0 : Tax);
}

public static class Pricing
{
    public static PricedLine PriceLine(Shop shop, Item item, IReadOnlyList<Option> options, int quantity)
    {
        var unit = item.Price + options.Sum(o => o.PriceDelta);
        return new PricedLine(item, options, quantity, unit, unit * quantity, RateOf(shop, item.TaxCategory));
    }

    /// <summary>
    /// Totals with tax per rate. Tax is computed on each rate's summed base, not per line, and
    /// rounded once per rate with <see cref="MoneyRounding"/> — so the rounding rule lives in one place.
    /// </summary>
    public static Quote Quote(Shop shop, IReadOnlyList<PricedLine> lines, OrderType type, long tip)
    {
        var itemsTotal = lines.Sum(l => l.LineTotal);
        var deliveryFee = type == OrderType.Delivery ? shop.DeliveryFee : 0;
        var bases = lines.GroupBy(l => l.TaxBasisPoints).ToDictionary(g => g.Key, g => g.Sum(l => l.LineTotal));
        if (deliveryFee > 0 && shop.DeliveryTaxCategory is { } category)
        {
            var rate = RateOf(shop, category);
            bases[rate] = bases.GetValueOrDefault(rate) + deliveryFee;
        }
        var taxes = bases
            .Where(b => b.Key > 0)
            .OrderBy(b => b.Key)
            .Select(b => new TaxLine(b.Key, b.Value, TaxOn(b.Value, b.Key, shop.PricesIncludeTax)))
            .ToList();
        return new Quote(shop.Currency, lines, itemsTotal, deliveryFee, tip, taxes, shop.PricesIncludeTax);
    }

    /// <summary>Tax contained in a gross amount (inclusive) or due on a net amount (exclusive).</summary>
    public static long TaxOn(long amount, int basisPoints, bool inclusive) => inclusive
        ? MoneyRounding.Divide(amount * basisPoints, 10_000 + basisPoints)
        : MoneyRounding.Divide(amount * basisPoints, 10_000);

    public static long TipFromPercent(long itemsTotal, int percent) => MoneyRounding.Divide(itemsTotal * percent, 100);

    private static int RateOf(Shop shop, string category) =>
        shop.TaxRates.FirstOrDefault(r => r.Code == category)?.BasisPoints ?? 0;
}
