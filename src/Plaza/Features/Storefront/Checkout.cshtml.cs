using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Features.Storefront;

/// <summary>Checkout: the cart re-priced by the server, order type, time, contact; placed through the JSON API.</summary>
public sealed class CheckoutModel(ShopScope scope, TimeProvider clock) : PageModel
{
    public Shop Shop => scope.Current;
    public List<SlotResponse> Slots { get; private set; } = [];

    /// <summary>The shop's today and tomorrow (its time zone, not the phone's), as slots name their dates.</summary>
    public string Today { get; private set; } = "";
    public string Tomorrow { get; private set; } = "";
    public bool CanServeSoon { get; private set; }
    public bool Paused { get; private set; }
    public List<int> TipPresets { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "t")]
    public string? Table { get; set; }

    /// <summary>The name of the table in <see cref="Table"/> ("3号桌"), as the customer sees it on the table.</summary>
    public string? TableName => Table is null ? null : scope.Catalog.Tables.GetValueOrDefault(Table)?.Name ?? Table;

    /// <summary>A member's sign-in cookie came with the request: only then does the page ask for their points and balance.</summary>
    public bool SignedIn { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        // The cookie alone (no database): a guest's browser then never asks for /me and logs no 401 in its console.
        SignedIn = (await HttpContext.AuthenticateAsync(Members.Members.Scheme)).Succeeded;
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var schedule = new OpeningSchedule(Shop);
        CanServeSoon = schedule.CanServeSoon(now);
        Paused = Shop.IsPausedAt(now.ToDateTimeUtc());
        Slots = OrdersApi.SlotsOf(schedule, now, 96);
        var today = now.InZone(schedule.Zone).Date;
        (Today, Tomorrow) = (today.ToString("yyyy-MM-dd", null), today.PlusDays(1).ToString("yyyy-MM-dd", null));
        TipPresets = [.. Shop.TipPresets.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.TryParse(p, out var n) ? n : -1).Where(n => n is > 0 and <= 100)];
        return Page();
    }

    public string DeliveryFee => Currencies.Format(new Money(Shop.DeliveryFee, Shop.Currency));

    public string DeliveryMinimum => Currencies.Format(new Money(Shop.DeliveryMinimum, Shop.Currency));
}
