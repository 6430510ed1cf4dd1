using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Notifications;

namespace Plaza.Features.Storefront;

/// <summary>The menu a customer opens from a store code, a table code or a shared link.</summary>
public sealed class MenuModel(ShopScope scope, TimeProvider clock, Attendance attendance) : PageModel
{
    public Shop Shop => scope.Current;
    public MenuResponse Menu { get; private set; } = null!;
    public List<MenuCategory> Shown { get; private set; } = [];
    public List<string> Tags { get; private set; } = [];
    public ShopTable? Table { get; private set; }
    public bool CanOrderNow { get; private set; }
    /// <summary>False while the shop is paused or nobody attends it: the page then offers nothing to add and says why.</summary>
    public bool TakingOrders { get; private set; }
    public bool Unattended { get; private set; }
    /// <summary>The shop's clock time its pause ends, while it is paused.</summary>
    public string? PausedUntil { get; private set; }
    /// <summary>Today, when the shop has closed it (a holiday); null on other days.</summary>
    public ClosedDate? ClosedToday { get; private set; }
    /// <summary>Holidays customers may order ahead into, so they see why those days offer no times.</summary>
    public List<ClosedDate> ClosedSoon { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tag { get; set; }

    public async Task<IActionResult> OnGetAsync(string? table, CancellationToken ct)
    {
        if (table is not null)
        {
            Table = scope.Catalog.Tables.GetValueOrDefault(table);
            if (Table is null)
            {
                return NotFound();
            }
        }
        Menu = MenuQuery.Build(scope.Catalog, clock);
        Unattended = !Menu.Shop.Paused && !await attendance.IsAttendedAsync(Shop, ct);
        TakingOrders = !Menu.Shop.Paused && !Unattended;
        CanOrderNow = Menu.Shop.OpenNow && TakingOrders;
        if (Menu.Shop.Paused && Shop.PausedUntil is { } until)
        {
            PausedUntil = NodaTime.Instant.FromDateTimeUtc(DateTime.SpecifyKind(until, DateTimeKind.Utc)).InZone(new OpeningSchedule(Shop).Zone).ToString("HH:mm", null);
        }
        var today = new OpeningSchedule(Shop).LocalDateOf(NodaTime.Instant.FromDateTimeOffset(clock.GetUtcNow())).ToDateOnly();
        ClosedToday = Shop.ClosedDates.FirstOrDefault(d => d.Date == today);
        ClosedSoon = [.. Shop.ClosedDates.Where(d => d.Date > today && d.Date <= today.AddDays(Shop.OrderAheadDays)).OrderBy(d => d.Date)];
        Tags = [.. Menu.Categories.SelectMany(c => c.Items).SelectMany(i => i.Tags).Distinct().Order(StringComparer.Ordinal)];
        var query = Q?.Trim();
        Shown = [.. Menu.Categories
            .Select(c => c with { Items = [.. c.Items.Where(i => Matches(i, query, Tag))] })
            .Where(c => c.Items.Count > 0)];
        return Page();
    }

    private static bool Matches(MenuItem item, string? query, string? tag) =>
        (string.IsNullOrEmpty(tag) || item.Tags.Contains(tag))
        && (string.IsNullOrEmpty(query)
            || item.Name.Contains(query, StringComparison.CurrentCultureIgnoreCase)
            || item.Description.Contains(query, StringComparison.CurrentCultureIgnoreCase));

    /// <summary>The number for a <c>tel:</c> link: its digits and a leading +.</summary>
    public static string Dialable(string phone) => (phone.StartsWith('+') ? "+" : "") + new string([.. phone.Where(char.IsAsciiDigit)]);

    public string Price(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    public string Delta(long amount) => amount == 0 ? "" : "+" + Price(amount);
}
