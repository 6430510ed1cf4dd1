using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Sales;

/// <summary>
/// What a delivery platform would have kept of the shop's item sales: the shop's rate
/// (<see cref="Shop.CommissionBasisPoints"/>) and the one rounding rule, so the board's "today" line,
/// the sales page and the sales API never disagree by a cent.
/// </summary>
public static class PlatformCommission
{
    public static long On(long itemSales, int basisPoints) => MoneyRounding.Divide(itemSales * basisPoints, 10_000);

    public static long On(long itemSales, Shop shop) => On(itemSales, shop.CommissionBasisPoints);

    /// <summary>The shop's rate as a percent for people to read ("25", "22.5").</summary>
    public static string Percent(Shop shop) => BasisPoints.Format(shop.CommissionBasisPoints);
}
