using Plaza.Common;

namespace Plaza.Features.Sales;

/// <summary>Sales: the owner's report (console page and API) and what a platform would have taken.</summary>
public static class SalesSetup
{
    public static WebApplication MapSales(this WebApplication app)
    {
        app.MapShopApi().MapSalesApi();
        return app;
    }
}
