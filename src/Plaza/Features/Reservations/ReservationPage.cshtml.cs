using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Reservations;

/// <summary>The guest's reservation: the link is the receipt. Until the cut-off it can be moved to another free time or cancelled.</summary>
[ShopScoped]
public sealed class ReservationPageModel(PlazaDb db, ShopScope scope, Bookings bookings, TimeProvider clock) : PageModel
{
    public ReservationResponse Reservation { get; private set; } = null!;
    public Availability? Rules { get; private set; }
    public List<Instant> Times { get; private set; } = [];
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Party { get; set; }

    [BindProperty]
    public string? Start { get; set; }

    public string Slug => scope.Current.Slug;
    public Catalog.Shop Shop => scope.Current;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostChangeAsync(Guid id, CancellationToken ct)
    {
        var start = DateTimeOffset.TryParse(Start, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed) ? parsed : (DateTimeOffset?)null;
        return await RespondAsync(id, await bookings.ChangeAsync(id, new ChangeReservationRequest(start, Party), ct), ct);
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct) =>
        await RespondAsync(id, await bookings.CancelAsync(id, ct), ct);

    private async Task<IActionResult> RespondAsync(Guid id, Bookings.Outcome outcome, CancellationToken ct)
    {
        if (outcome is Bookings.Refused refused)
        {
            if (!await LoadAsync(id, ct))
            {
                return NotFound();
            }
            Error = Problems.Say(refused.Problem);
            Response.StatusCode = refused.Problem.StatusCode;
            return Page();
        }
        return Redirect($"/s/{Slug}/reservations/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var row = await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        Rules = await Availability.LoadAsync(db, scope.Current, ct);
        if (row is null)
        {
            return false;
        }
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        Reservation = ReservationResponse.From(row, scope.Current, Rules?.Settings ?? await db.ReservationSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new(), now);
        Response.Headers.CacheControl = "no-store";
        if (Rules is not null && Reservation.Changeable)
        {
            var day = LocalDatePattern.Iso.Parse(Date ?? "") is { Success: true } date ? date.Value : LocalDatePattern.Iso.Parse(Reservation.LocalDate).Value;
            Date = LocalDatePattern.Iso.Format(day);
            Party = Math.Clamp(Party ?? row.PartySize, 1, Rules.Settings.MaxParty);
            Times = await Rules.FreeTimesAsync(db, day, Party.Value, now, id, ct);
        }
        return true;
    }
}
