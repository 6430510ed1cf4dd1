using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Ordering;

/// <summary>What one cart line costs, with the options the customer chose.</summary>
public sealed record PricedLine(Item Item, IReadOnlyList<Option> Options, int Quantity, long UnitPrice, long LineTotal, int TaxBasisPoints);

/// <summary>Tax at one rate: the amount it applies to and the tax in it (or on it).</summary>
public sealed record TaxLine(int BasisPoints, long Base, long Tax);

/// <summary>
/// Something taken off the items: a coupon or points. <paramref name="Applies"/> says which lines it is for;
/// <paramref name="AmountOf"/> gets what those lines still cost (after earlier discounts) and says how much comes off.
/// </summary>
public sealed record Discount(string Label, Func<PricedLine, bool> Applies, Func<IReadOnlyList<(PricedLine Line, long Net)>, long> AmountOf);

/// <summary>A discount as applied: its label (a coupon's code, or "points") and the amount it took off.</summary>
public sealed record AppliedDiscount(string Label, long Amount);

/// <summary>A cart priced by the server: the only source of truth for totals.</summary>
public sealed record Quote(
    string Currency,
    IReadOnlyList<PricedLine> Lines,
    long ItemsTotal,
    long DeliveryFee,
    long Tip,
    IReadOnlyList<TaxLine> Taxes,
    bool PricesIncludeTax,
    IReadOnlyList<AppliedDiscount> Discounts)
{
    public long Tax => Taxes.Sum(t => t.Tax);

    public long Discount => Discounts.Sum(d => d.Amount);

    /// <summary>Tax-inclusive prices already contain the tax; tax-exclusive ones have it added.</summary>
    public long Total => ItemsTotal - Discount + DeliveryFee + Tip + (PricesIncludeTax ? 0 : Tax);
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
    /// Discounts come off the lines first (<see cref="Split"/>), so each rate's base is what is paid at that rate.
    /// </summary>
    public static Quote Quote(Shop shop, IReadOnlyList<PricedLine> lines, OrderType type, long tip, IReadOnlyList<Discount>? discounts = null)
    {
        var itemsTotal = lines.Sum(l => l.LineTotal);
        var deliveryFee = type == OrderType.Delivery ? shop.DeliveryFee : 0;
        var net = lines.Select(l => l.LineTotal).ToArray();
        var applied = new List<AppliedDiscount>();
        foreach (var discount in discounts ?? [])
        {
            var scope = Enumerable.Range(0, lines.Count).Where(i => discount.Applies(lines[i]) && net[i] > 0).ToList();
            var amount = Math.Clamp(discount.AmountOf([.. scope.Select(i => (lines[i], net[i]))]), 0, scope.Sum(i => net[i]));
            var shares = Split(amount, [.. scope.Select(i => net[i])]);
            for (var k = 0; k < scope.Count; k++)
            {
                net[scope[k]] -= shares[k];
            }
            applied.Add(new AppliedDiscount(discount.Label, amount));
        }
        var bases = Enumerable.Range(0, lines.Count).GroupBy(i => lines[i].TaxBasisPoints).ToDictionary(g => g.Key, g => g.Sum(i => net[i]));
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
        return new Quote(shop.Currency, lines, itemsTotal, deliveryFee, tip, taxes, shop.PricesIncludeTax, applied);
    }

    /// <summary>
    /// Plaza's one rule for splitting an amount over parts (a discount over the lines it applies to): each part gets
    /// the floor of its share in proportion to its weight, in whole minor units; the units left over go one each to
    /// the parts with the largest remainders, the earlier part first on a tie. The shares always add up to the
    /// amount exactly, and no share exceeds its part's weight.
    /// </summary>
    public static long[] Split(long amount, IReadOnlyList<long> weights)
    {
        var shares = new long[weights.Count];
        var whole = weights.Sum();
        if (whole <= 0 || amount <= 0)
        {
            return shares;
        }
        var remainders = new (long Remainder, int Index)[weights.Count];
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (Int128)amount * weights[i];
            shares[i] = (long)(exact / whole);
            remainders[i] = ((long)(exact % whole), i);
        }
        var left = amount - shares.Sum();
        foreach (var (_, index) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take((int)left))
        {
            shares[index]++;
        }
        return shares;
    }

    /// <summary>Tax contained in a gross amount (inclusive) or due on a net amount (exclusive).</summary>
    public static long TaxOn(long amount, int basisPoints, bool inclusive) => inclusive
        ? MoneyRounding.Divide(amount * basisPoints, 10_000 + basisPoints)
        : MoneyRounding.Divide(amount * basisPoints, 10_000);

    public static long TipFromPercent(long itemsTotal, int percent) => MoneyRounding.Divide(itemsTotal * percent, 100);

    private static int RateOf(Shop shop, string category) =>
        shop.TaxRates.FirstOrDefault(r => r.Code == category)?.BasisPoints ?? 0;
}
