using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Sales;

public sealed record SalesFiguresResponse(int Orders, MoneyDto Gross, MoneyDto ItemSales, MoneyDto Tax, MoneyDto Tips, MoneyDto DeliveryFees, MoneyDto AverageTicket)
{
    public static SalesFiguresResponse Of(SalesReport.Figures f, string c) => new(f.Orders, MoneyDto.Of(f.Gross, c), MoneyDto.Of(f.ItemSales, c),
        MoneyDto.Of(f.Tax, c), MoneyDto.Of(f.Tips, c), MoneyDto.Of(f.DeliveryFees, c), MoneyDto.Of(f.AverageTicket, c));
}

public sealed record SalesDayResponse(string Date, SalesFiguresResponse Sales);

public sealed record SalesTypeResponse(string Type, SalesFiguresResponse Sales);

public sealed record ItemSalesResponse(int ItemId, string Name, int Quantity, MoneyDto Revenue);

public sealed record RefusedResponse(int Orders, MoneyDto Value);

public sealed record SalesReportResponse(
    string Period,
    string From,
    string To,
    string TimeZone,
    SalesFiguresResponse Sales,
    List<SalesDayResponse> Days,
    List<SalesTypeResponse> Types,
    List<ItemSalesResponse> TopItemsByQuantity,
    List<ItemSalesResponse> TopItemsByRevenue,
    RefusedResponse Rejected,
    RefusedResponse Cancelled,
    decimal PlatformCommissionPercent,
    MoneyDto PlatformWouldHaveTaken,
    MoneyDto Discounts,
    RefusedResponse Refunds,
    MoneyDto BalanceTopUps,
    MoneyDto BalanceBonuses)
{
    public static SalesReportResponse Of(SalesReport.Result r, string timeZone)
    {
        var c = r.Currency;
        ItemSalesResponse Item(SalesReport.ItemSales i) => new(i.ItemId, i.Name, i.Quantity, MoneyDto.Of(i.Revenue, c));
        return new(r.Period.Name, SalesReport.Iso(r.Period.From), SalesReport.Iso(r.Period.To), timeZone,
            SalesFiguresResponse.Of(r.Sales, c),
            [.. r.Days.Select(d => new SalesDayResponse(SalesReport.Iso(d.Date), SalesFiguresResponse.Of(d.Sales, c)))],
            [.. r.Types.Select(t => new SalesTypeResponse(OrderWords.Type(t.Type), SalesFiguresResponse.Of(t.Sales, c)))],
            [.. r.TopByQuantity.Select(Item)],
            [.. r.TopByRevenue.Select(Item)],
            new RefusedResponse(r.Rejected, MoneyDto.Of(r.RejectedValue, c)),
            new RefusedResponse(r.Cancelled, MoneyDto.Of(r.CancelledValue, c)),
            r.CommissionBasisPoints / 100m,
            MoneyDto.Of(r.PlatformWouldHaveTaken, c),
            MoneyDto.Of(r.Members.Discounts, c),
            new RefusedResponse(r.Members.Refunds, MoneyDto.Of(r.Members.Refunded, c)),
            MoneyDto.Of(r.Members.TopUps, c),
            MoneyDto.Of(r.Members.Bonuses, c));
    }
}

public static class SalesApi
{
    public static RouteGroupBuilder MapSalesApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapGet("/reports/sales", Sales)
            .WithName("GetSalesReport")
            .WithSummary("Staff: sales for a period of the shop's local days — period=today|7d|30d, or from/to (yyyy-MM-dd, inclusive, at most 366 days). "
                + "Orders, gross, tax, tips, average ticket, by day and by order type, top items, rejections and cancellations. Needs an owner API token, as the console's report page needs an owner.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireOwnerToken();
        return shopGroup;
    }

    private static async Task<Results<Ok<SalesReportResponse>, ProblemHttpResult>> Sales(
        string? period, string? from, string? to, PlazaDb db, ShopScope scope, TimeProvider clock, CancellationToken ct)
    {
        var shop = scope.Current;
        var (range, errors) = SalesReport.ParsePeriod(period, from, to, SalesReport.Today(shop, clock));
        if (range is null)
        {
            return Problems.Invalid(errors);
        }
        var report = await SalesReport.RunAsync(db, shop, range, ct);
        return TypedResults.Ok(SalesReportResponse.Of(report, shop.TimeZone));
    }
}
