using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Console;

namespace Plaza.Features.Sales;

/// <summary>The owner's sales report: a period of the shop's local days, chosen by link or by dates.</summary>
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

    public SalesReport.Result? Report { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public string Money(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (period, errors) = SalesReport.ParsePeriod(Period, From, To, SalesReport.Today(Shop, clock));
        Errors = errors;
        if (period is null)
        {
            return;
        }
        Report = await SalesReport.RunAsync(db, Shop, period, ct);
        Period = period.Name;
        From = SalesReport.Iso(period.From);
        To = SalesReport.Iso(period.To);
    }
}

/// <summary>What the period chooser of a report shows (<c>_Period.cshtml</c>), and the other parameters its links keep.</summary>
public sealed record PeriodChoice(string? Period, string? From, string? To, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyDictionary<string, string>? Kept = null)
{
    public IEnumerable<KeyValuePair<string, string>> Hidden => Kept ?? new Dictionary<string, string>();

    public string Keep => string.Concat(Hidden.Select(p => $"&{p.Key}={Uri.EscapeDataString(p.Value)}"));
}
