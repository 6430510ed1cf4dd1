using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Sales;

namespace Plaza.Features.Channels;

/// <summary>The channel report beside the sales report: a period of the shop's local days, by last or first touch; as a page or CSV.</summary>
[OwnerOnly]
public sealed class ChannelReportPageModel(PlazaDb db, ShopScope scope, TimeProvider clock) : PageModel
{
    public Catalog.Shop Shop => scope.Current;

    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>"first" for first touch; last touch otherwise.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Touch { get; set; }

    public ChannelReport.Result? Report { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public string Money(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    /// <summary>The query string of this report, for links that keep the period and the touch.</summary>
    public string Query(string? touch = null) =>
        $"?period={Period}&from={From}&to={To}&touch={touch ?? (Report?.FirstTouch == true ? "first" : "last")}";

    public async Task OnGetAsync(CancellationToken ct) => await RunAsync(ct);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await RunAsync(ct) is not { } report)
        {
            var problem = Problems.Invalid(Errors);
            return new ObjectResult(problem.ProblemDetails) { StatusCode = problem.StatusCode, ContentTypes = { "application/problem+json" } };
        }
        return File(ChannelReport.Csv(report), "text/csv; charset=utf-8", $"{Shop.Slug}-channels-{From}-{To}.csv");
    }

    private async Task<ChannelReport.Result?> RunAsync(CancellationToken ct)
    {
        var (period, errors) = SalesReport.ParsePeriod(Period, From, To, SalesReport.Today(Shop, clock));
        Errors = errors;
        if (period is null)
        {
            return null;
        }
        Report = await ChannelReport.RunAsync(db, Shop, period, Touch == "first", ct);
        Period = period.Name;
        From = SalesReport.Iso(period.From);
        To = SalesReport.Iso(period.To);
        return Report;
    }

    /// <summary>A channel's name as the owner reads it: their own name for named ones, a word for Plaza's.</summary>
    public static string Label(ChannelReport.Row row, Func<string, object[], string> t) => row.Kind switch
    {
        null => t("Direct (no channel)", []),
        ChannelKind.Named => row.Name,
        ChannelKind.Store => t("Store code", []),
        ChannelKind.Nearby => t("Nearby", []),
        ChannelKind.Hub => t("Hubs", []),
        ChannelKind.Promotion => t("Post {0}", [ChannelCodes.PromotionOf(row.Code) ?? 0]),
        ChannelKind.Table => t("Table {0}", [row.Name]),
        _ => row.Code,
    };
}
