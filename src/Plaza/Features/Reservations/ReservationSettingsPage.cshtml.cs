using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Console;

namespace Plaza.Features.Reservations;

/// <summary>
/// How the shop takes reservations: on or off, lead time, horizon, the cut-off for changes, the largest
/// party, seating length by party size, and which tables can be pushed together. Which tables are
/// bookable, and their seats, is set on the tables page (the one tables editor).
/// </summary>
[OwnerOnly]
public sealed class ReservationSettingsPageModel(PlazaDb db, ShopScope scope) : PageModel
{
    /// <summary>What the form posts; copied onto the shop's row field by field (never the row itself, whose shop id is the scope's).</summary>
    public sealed class Form
    {
        public bool Enabled { get; set; }
        public int LeadMinutes { get; set; }
        public int HorizonDays { get; set; }
        public int CutoffMinutes { get; set; }
        public int MaxParty { get; set; }
        public int ReminderHours { get; set; }
        public string? Seatings { get; set; }
    }

    [BindProperty]
    public Form Input { get; set; } = new();

    public List<ShopTable> Tables { get; private set; } = [];
    public List<(TableGroup Group, string Codes)> Groups { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    public string Slug => scope.Current.Slug;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var row = await db.ReservationSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new ReservationSettings();
        Input = new Form { Enabled = row.Enabled, LeadMinutes = row.LeadMinutes, HorizonDays = row.HorizonDays, CutoffMinutes = row.CutoffMinutes, MaxParty = row.MaxParty, ReminderHours = row.ReminderHours, Seatings = row.Seatings };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Input.Seatings = Typed.Plain(Input.Seatings ?? "").Trim();
        if (Input.LeadMinutes is < 0 or > 7 * 24 * 60)
        {
            Errors["LeadMinutes"] = Text.Say("Between 0 and {0} minutes.", 7 * 24 * 60);
        }
        if (Input.HorizonDays is < 1 or > 365)
        {
            Errors["HorizonDays"] = Text.Say("Between 1 and 365 days.");
        }
        if (Input.CutoffMinutes is < 0 or > 7 * 24 * 60)
        {
            Errors["CutoffMinutes"] = Text.Say("Between 0 and {0} minutes.", 7 * 24 * 60);
        }
        if (Input.MaxParty is < 1 or > 100)
        {
            Errors["MaxParty"] = Text.Say("Between 1 and 100.");
        }
        if (Input.ReminderHours is < 0 or > Reminders.MaxHours)
        {
            Errors["ReminderHours"] = Text.Say("Between 0 and {0} hours.", Reminders.MaxHours);
        }
        if (ReservationSettings.ParseSeatings(Input.Seatings) is null || Input.Seatings.Length > 200)
        {
            Errors["Seatings"] = Text.Say("Write party size and minutes, e.g. 2:90 4:120 8:150 (sizes rising, 15 to 600 minutes).");
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
        var row = await db.ReservationSettings.FirstOrDefaultAsync(ct);
        if (row is null)
        {
            row = new ReservationSettings { ShopId = scope.ShopId };
            db.ReservationSettings.Add(row);
        }
        (row.Enabled, row.LeadMinutes, row.HorizonDays, row.CutoffMinutes, row.MaxParty, row.ReminderHours, row.Seatings) =
            (Input.Enabled, Input.LeadMinutes, Input.HorizonDays, Input.CutoffMinutes, Input.MaxParty, Input.ReminderHours, Input.Seatings ?? "");
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = Text.Say("Saved.");
        return Redirect($"/console/{Slug}/reservation-settings");
    }

    /// <summary>Tables pushed together: their codes joined by "+" ("4+5") and how many they seat together.</summary>
    public async Task<IActionResult> OnPostAddGroupAsync(string? codes, int seats, CancellationToken ct)
    {
        var tables = await db.Tables.AsNoTracking().Where(t => !t.Retired).ToDictionaryAsync(t => t.Code, ct);
        var wanted = Typed.Plain(codes ?? "").Split(['+', ',', ' '], StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (wanted.Count < 2 || wanted.Any(c => !tables.ContainsKey(c)))
        {
            Errors["Group"] = Text.Say("Name two or more of the shop's tables, e.g. 4+5.");
        }
        else if (seats < 1 || seats > TablesModel.MaxSeats)
        {
            Errors["Group"] = Text.Say("Seats are 1–{0}.", TablesModel.MaxSeats);
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await OnGetAsync(ct);
            return Page();
        }
        db.TableGroups.Add(new TableGroup
        {
            ShopId = scope.ShopId,
            Seats = seats,
            Members = [.. wanted.Select(c => new TableGroupMember { ShopId = scope.ShopId, TableId = tables[c].Id })],
        });
        await db.SaveChangesAsync(ct);
        return Redirect($"/console/{Slug}/reservation-settings#groups");
    }

    public async Task<IActionResult> OnPostRemoveGroupAsync(int id, CancellationToken ct)
    {
        await db.Set<TableGroupMember>().Where(m => m.GroupId == id).ExecuteDeleteAsync(ct);
        return await db.TableGroups.Where(g => g.Id == id).ExecuteDeleteAsync(ct) == 0
            ? NotFound()
            : Redirect($"/console/{Slug}/reservation-settings#groups");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Tables = await db.Tables.AsNoTracking().Where(t => !t.Retired).ToListAsync(ct);
        Tables.Sort((a, b) => TableCodes.Compare(a.Code, b.Code));
        var codes = Tables.ToDictionary(t => t.Id, t => t.Code);
        var groups = await db.TableGroups.AsNoTracking().Include(g => g.Members).OrderBy(g => g.Id).ToListAsync(ct);
        Groups = [.. groups.Select(g => (g, string.Join("+", g.Members.Select(m => codes.GetValueOrDefault(m.TableId, "?")).Order(Comparer<string>.Create(TableCodes.Compare)))))];
    }
}
