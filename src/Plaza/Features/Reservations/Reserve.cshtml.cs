using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Reservations;

/// <summary>
/// The guest's booking page: a date and a party size show the free times (a plain GET form, so it works
/// without script); choosing one with a name, phone and e-mail books it. The form carries a key made when
/// the page was shown, so a double tap or a resent form books once. A signed-in member's details are filled in.
/// </summary>
[ShopScoped]
public sealed class ReserveModel(PlazaDb db, ShopScope scope, Bookings bookings, Members.Members members, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Party { get; set; } = 2;

    [BindProperty]
    public string? Start { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string Key { get; set; } = "";

    /// <summary>The time a table was offered at (from a waitlist e-mail), chosen when the page shows.</summary>
    [BindProperty(SupportsGet = true)]
    public string? At { get; set; }

    /// <summary>The waitlist entry the offer was for; booking takes the guest off the list.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? W { get; set; }

    /// <summary>The waiting guest's preferred local time ("19:30"), optional.</summary>
    [BindProperty]
    public string? Time { get; set; }

    /// <summary>Shown after joining the waitlist.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Waiting { get; set; }

    public Instant? OfferedStart => DateTimeOffset.TryParse(At, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at)
        ? Instant.FromDateTimeOffset(at) : null;

    public Availability? Rules { get; private set; }
    public LocalDate Day { get; private set; }
    public LocalDate Today { get; private set; }
    public List<Instant> Times { get; private set; } = [];
    public string? Error { get; private set; }
    public IDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();
    public string Slug => scope.Current.Slug;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Key = Guid.NewGuid().ToString("N");
        if (await members.CurrentAsync(HttpContext, ct) is { } member)
        {
            (Name, Phone, Email) = (member.Name, member.Phone, member.Email);
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var start = DateTimeOffset.TryParse(Start, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed) ? parsed : (DateTimeOffset?)null;
        var request = new BookingRequest(start, Party, Name, Phone, Email, Note);
        // The same form sent twice hashes alike; the key alone would not tell a changed form from a resent one.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", Start, Party, Name, Phone, Email, Note))));
        var member = (await members.CurrentAsync(HttpContext, ct))?.Id;
        var key = Key.Length is > 0 and <= 255 ? "form:" + Key : null;
        switch (await bookings.BookAsync(request, key, hash, member, ct))
        {
            case Bookings.Done done:
                if (W is { } entry && !done.Replayed)
                {
                    await bookings.TakeOffWaitlistAsync(entry, ct);
                }
                return Redirect($"/s/{Slug}/reservations/{done.Reservation.Id}");
            case Bookings.Refused refused:
                Error = Problems.Say(refused.Problem);
                FieldErrors = refused.Problem.ProblemDetails.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> fields ? fields : FieldErrors;
                Response.StatusCode = refused.Problem.StatusCode;
                Key = Guid.NewGuid().ToString("N");
                await LoadAsync(ct);
                return Page();
            default:
                throw new InvalidOperationException("Unexpected outcome.");
        }
    }

    public async Task<IActionResult> OnPostWaitlistAsync(CancellationToken ct)
    {
        var id = Guid.TryParseExact(Key, "N", out var key) ? key : Guid.NewGuid();
        var day = LocalDatePattern.Iso.Parse(Date ?? "") is { Success: true } date ? date.Value : default;
        var (entry, refused) = await bookings.JoinWaitlistAsync(id, day, Party, Time, Name, Phone, Email, ct);
        if (refused is not null)
        {
            Error = Problems.Say(refused.Problem);
            FieldErrors = refused.Problem.ProblemDetails.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> fields ? fields : FieldErrors;
            Response.StatusCode = refused.Problem.StatusCode;
            await LoadAsync(ct);
            return Page();
        }
        return Redirect($"/s/{Slug}/reserve?date={LocalDatePattern.Iso.Format(day)}&party={entry!.PartySize}&waiting=true");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rules = await Availability.LoadAsync(db, scope.Current, ct);
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        if (Rules is null)
        {
            return;
        }
        Today = Rules.LocalDate(now);
        Day = LocalDatePattern.Iso.Parse(Date ?? "") is { Success: true } date ? date.Value : Today;
        Date = LocalDatePattern.Iso.Format(Day);
        Party = Math.Clamp(Party, 1, Rules.Settings.MaxParty);
        Times = await Rules.FreeTimesAsync(db, Day, Party, now, null, ct);
    }

    public string? FieldError(string field) => FieldErrors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}
