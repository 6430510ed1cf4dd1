using Plaza.Common;

namespace Plaza.Features.Sales;

/// <summary>
/// What a delivery platform would have kept of the shop's item sales: the one rate and the one rounding
/// rule, so the board's "today" line and the sales report never disagree by a cent.
/// </summary>
public static class PlatformCommission
{
    /// <summary>Typical of the large platforms (their commissions run 15–30 %).</summary>
    public const int Percent = 25;

    public static long On(long itemSales) => MoneyRounding.Divide(itemSales * Percent, 100);
}
