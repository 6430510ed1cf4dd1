using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Console;

namespace Plaza.Features.Sales;

/// <summary>
/// The owner's sales report and dashboard: a period of the shop's local days, chosen by link or by dates; as a page, or
/// its daily series as CSV.
/// </summary>
[OwnerOnly]
public sealed class SalesPageModel(PlazaDb db, ShopScope scope, TimeProvider clock) : PageModel
{
    public Plaza.Features.Catalog.Shop Shop => scope.Current;

    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>"deviation" charts each day against the mean of the week before it; anything else charts the days as they are.</summary>
    [BindProperty(SupportsGet = true)]
    public string? View { get; set; }

    public bool Deviation => View == "deviation";

    public Dashboard.Result? Dashboard { get; private set; }
    public SalesReport.Result? Report => Dashboard?.Sales;
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public string Money(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    /// <summary>The query string of this report, for links that keep the period and the view.</summary>
    public string Query(string? view = null) => $"?period={Period}&from={From}&to={To}&view={view ?? (Deviation ? "deviation" : "sales")}";

    public static string Percent(double? share) => share is { } s ? s.ToString("P0", CultureInfo.CurrentCulture) : "—";

    public async Task OnGetAsync(CancellationToken ct) => await RunAsync(ct);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await RunAsync(ct) is not { } report)
        {
            var problem = Problems.Invalid(Errors);
            return new ObjectResult(problem.ProblemDetails) { StatusCode = problem.StatusCode, ContentTypes = { "application/problem+json" } };
        }
        return File(Sales.Dashboard.Csv(report), "text/csv; charset=utf-8", $"{Shop.Slug}-sales-{From}-{To}.csv");
    }

    private async Task<Dashboard.Result?> RunAsync(CancellationToken ct)
    {
        var today = SalesReport.Today(Shop, clock);
        var (period, errors) = SalesReport.ParsePeriod(Period, From, To, today);
        Errors = errors;
        if (period is null)
        {
            return null;
        }
        Dashboard = await Sales.Dashboard.RunAsync(db, Shop, period, today, ct);
        Period = period.Name;
        From = SalesReport.Iso(period.From);
        To = SalesReport.Iso(period.To);
        return Dashboard;
    }
}

/// <summary>What the period chooser of a report shows (<c>_Period.cshtml</c>), and the other parameters its links keep.</summary>
public sealed record PeriodChoice(string? Period, string? From, string? To, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyDictionary<string, string>? Kept = null)
{
    public IEnumerable<KeyValuePair<string, string>> Hidden => Kept ?? new Dictionary<string, string>();

    public string Keep => string.Concat(Hidden.Select(p => $"&{p.Key}={Uri.EscapeDataString(p.Value)}"));
}
