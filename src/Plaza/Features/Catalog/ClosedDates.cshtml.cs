using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>
/// Holidays: local dates on which the shop takes no orders whatever its hours say. The opening schedule
/// skips them, so their slots disappear and an order for them is refused; the storefront says so.
/// </summary>
[OwnerOnly]
public sealed class ClosedDatesModel(PlazaDb db, ShopScope scope, TimeProvider clock, IStringLocalizer<Text> text) : PageModel
{
    /// <summary>Past holidays shown (greyed) below the coming ones, for "what did we do last year".</summary>
    public const int PastShown = 10;

    [BindProperty]
    public string? Date { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public Shop Shop => scope.Current;
    public DateOnly Today { get; private set; }
    public List<ClosedDate> Coming { get; private set; } = [];
    public List<ClosedDate> Past { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public void OnGet() => Load(Shop.ClosedDates);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var shop = await db.Shops.Include(s => s.ClosedDates).SingleAsync(s => s.Id == scope.ShopId, ct);
        Load(shop.ClosedDates);
        var note = Note?.Trim() ?? "";
        if (!DateOnly.TryParseExact(Typed.Plain(Date).Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Errors["Date"] = Text.Say("Choose a date.");
        }
        else if (date < Today)
        {
            Errors["Date"] = Text.Say("That day is already past.");
        }
        else if (date > Today.AddYears(2))
        {
            Errors["Date"] = Text.Say("Holidays can be set up to two years ahead.");
        }
        else if (shop.ClosedDates.Any(d => d.Date == date))
        {
            Errors["Date"] = Text.Say("The shop is already closed that day.");
        }
        if (note.Length > 120)
        {
            Errors["Note"] = Text.Say("A note has up to 120 characters.");
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        shop.ClosedDates.Add(new ClosedDate { Date = date, Note = note });
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = text["Closed on {0}.", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)].Value;
        return Redirect($"/console/{shop.Slug}/closed");
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, CancellationToken ct)
    {
        // Through the shop, so an id of another shop's holiday finds nothing.
        var shop = await db.Shops.Include(s => s.ClosedDates).SingleAsync(s => s.Id == scope.ShopId, ct);
        var closed = shop.ClosedDates.FirstOrDefault(d => d.Id == id);
        if (closed is null)
        {
            return NotFound();
        }
        db.Remove(closed);
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = text["Open again on {0}.", closed.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)].Value;
        return Redirect($"/console/{shop.Slug}/closed");
    }

    private void Load(IEnumerable<ClosedDate> dates)
    {
        Today = new OpeningSchedule(Shop).LocalDateOf(Instant.FromDateTimeOffset(clock.GetUtcNow())).ToDateOnly();
        Coming = [.. dates.Where(d => d.Date >= Today).OrderBy(d => d.Date)];
        Past = [.. dates.Where(d => d.Date < Today).OrderByDescending(d => d.Date).Take(PastShown)];
    }
}
