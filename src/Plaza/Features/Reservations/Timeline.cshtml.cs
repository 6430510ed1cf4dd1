using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Reservations;

/// <summary>
/// The staff's day at a glance, made for a tablet at the door: a row per table with its parties along the hours,
/// the arrivals in order with one tap to seat, finish, mark a no-show or cancel, walk-ins seated on the spot and
/// the waitlist with "offer the table". New bookings appear by themselves and ring, like orders on the board.
/// </summary>
[StaffOnly]
public sealed class TimelineModel(PlazaDb db, ShopScope scope, Floor floor, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    public ReservationDay Day { get; private set; } = null!;
    public Catalog.Shop Shop => scope.Current;
    public string DateText => LocalDatePattern.Iso.Format(Day.Date);
    public bool IsToday => Day.Date == Day.Floor.LocalDate(Day.Now);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>The day's grid, arrivals and waitlist alone, for the page's script to replace after a change.</summary>
    public async Task<IActionResult> OnGetDayAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Response.Headers.CacheControl = "no-store";
        return Partial("_ReservationDay", this);
    }

    public async Task<IActionResult> OnPostMoveAsync(Guid id, string? to, CancellationToken ct)
    {
        if (!Enum.TryParse<ReservationStatus>(to, ignoreCase: true, out var status) || !Enum.IsDefined(status))
        {
            return Answer(Problems.Invalid(new Dictionary<string, string[]> { ["to"] = [Text.Say("Choose what happened.")] }));
        }
        return Answer(await floor.MoveAsync(id, status, ct) is Bookings.Refused refused ? refused.Problem : null);
    }

    public async Task<IActionResult> OnPostWalkInAsync(string? tables, int party, string? name, CancellationToken ct) =>
        Answer(await floor.WalkInAsync(tables, party, name, ct) is Bookings.Refused refused ? refused.Problem : null, Text.Say("Seated at table {0}.", tables ?? ""));

    public async Task<IActionResult> OnPostOfferAsync(Guid entry, CancellationToken ct)
    {
        var (problem, time) = await floor.OfferAsync(entry, ct);
        return Answer(problem, Text.Say("Offered {0} by e-mail.", time ?? ""));
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid entry, CancellationToken ct)
    {
        await floor.RemoveFromWaitlistAsync(entry, ct);
        return Answer(null);
    }

    /// <summary>A scripted tap gets 204 or the problem; a plain form post comes back to the day with the outcome.</summary>
    private IActionResult Answer(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? problem, string? done = null)
    {
        if (Request.Headers["X-Requested-With"] == "fetch")
        {
            return problem is null ? new NoContentResult() : new ObjectResult(problem.ProblemDetails) { StatusCode = problem.StatusCode };
        }
        TempData["Flash"] = problem is null ? done : Problems.Say(problem);
        var date = LocalDatePattern.Iso.Parse(Date ?? "") is { Success: true } parsed ? "?date=" + LocalDatePattern.Iso.Format(parsed.Value) : "";
        return Redirect($"/console/{Shop.Slug}/reservations{date}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var zone = DateTimeZoneProviders.Tzdb[Shop.TimeZone];
        var date = LocalDatePattern.Iso.Parse(Date ?? "") is { Success: true } parsed ? parsed.Value : now.InZone(zone).Date;
        Day = await ReservationDay.LoadAsync(db, Shop, date, now, ct);
    }
}
