using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Channels;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>
/// The shop's tables: add one or many ("1-12"), name, seats and area, each with its QR code and order
/// link, and whether guests can reserve it; retire a table and its code stops taking orders while its old orders keep it.
/// </summary>
[OwnerOnly]
public sealed class TablesModel(PlazaDb db, ShopScope scope, OrderLinks links, IStringLocalizer<Text> text) : PageModel
{
    public const int MaxSeats = 100;

    public sealed class AddInput
    {
        public string Codes { get; set; } = "";
        public string? Name { get; set; }
        public int Seats { get; set; } = 4;
        public string? Area { get; set; }
        /// <summary>Offered for reservations as well as taking orders.</summary>
        public bool Bookable { get; set; }
    }

    [BindProperty]
    public AddInput Add { get; set; } = new();

    public List<ShopTable> Active { get; private set; } = [];
    public List<ShopTable> Retired { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    public OrderLinks Links => links;
    public string Slug => scope.Current.Slug;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await db.Tables.AsNoTracking().ToListAsync(ct);
        all.Sort((a, b) => TableCodes.Compare(a.Code, b.Code));
        Active = [.. all.Where(t => !t.Retired)];
        Retired = [.. all.Where(t => t.Retired)];
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var (codes, error) = TableCodes.Parse(Add.Codes);
        if (error is not null)
        {
            Errors["Codes"] = text[error.Template, error.Values];
        }
        var area = Add.Area?.Trim() ?? "";
        var name = Add.Name?.Trim() ?? "";
        if (Add.Seats is < 0 or > MaxSeats || area.Length > 64 || name.Length > 48)
        {
            Errors["Details"] = text["Seats are 0–{0}; a name has up to 48 characters and an area up to 64.", MaxSeats];
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await OnGetAsync(ct);
            return Page();
        }
        var existing = (await db.Tables.Select(t => t.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var added = codes.Where(c => !existing.Contains(c)).ToList();
        var language = CultureInfo.GetCultureInfo(scope.Current.DefaultLanguage);
        foreach (var code in added)
        {
            db.Tables.Add(new ShopTable
            {
                ShopId = scope.ShopId,
                Code = code,
                // Named in the shop's language: customers read it on the menu and the board shows it.
                Name = name.Length > 0 ? (codes.Count == 1 ? name : $"{name} {code}") : InLanguage(language, () => text["Table {0}", code]),
                Seats = Add.Seats,
                Area = area,
                Bookable = Add.Bookable,
            });
        }
        await db.SaveChangesAsync(ct);
        var skipped = codes.Except(added).ToList();
        TempData["Flash"] = skipped.Count == 0
            ? text["Added {0} tables.", added.Count].Value
            : text["Added {0} tables; {1} existed already.", added.Count, string.Join(", ", skipped)].Value;
        return Redirect($"/console/{Slug}/tables");
    }

    public async Task<IActionResult> OnPostSaveAsync(int id, string? name, int seats, string? area, bool bookable, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        area = area?.Trim() ?? "";
        if (name.Length is 0 or > 48 || seats is < 0 or > MaxSeats || area.Length > 64)
        {
            Errors["Details"] = text["Seats are 0–{0}; a name has up to 48 characters and an area up to 64.", MaxSeats];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await OnGetAsync(ct);
            return Page();
        }
        var changed = await db.Tables.Where(t => t.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, name).SetProperty(t => t.Seats, seats).SetProperty(t => t.Area, area).SetProperty(t => t.Bookable, bookable), ct);
        if (changed == 0)
        {
            return NotFound();
        }
        TempData["Flash"] = text["Saved {0}.", name].Value;
        return Redirect($"/console/{Slug}/tables#table-{id}");
    }

    public Task<IActionResult> OnPostRetireAsync(int id, CancellationToken ct) => SetRetiredAsync(id, true, ct);

    public Task<IActionResult> OnPostRestoreAsync(int id, CancellationToken ct) => SetRetiredAsync(id, false, ct);

    private async Task<IActionResult> SetRetiredAsync(int id, bool retired, CancellationToken ct)
    {
        var changed = await db.Tables.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Retired, retired), ct);
        return changed == 0 ? NotFound() : Redirect($"/console/{Slug}/tables");
    }

    private static string InLanguage(CultureInfo culture, Func<string> words)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return words();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
