using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>
/// The shop's tax rates: names, rates and the default, whether menu prices include tax, and what the
/// delivery fee is taxed under. A rate's code is what items point at (<see cref="Item.TaxCategory"/>),
/// so it is chosen once, when the rate is added, and never edited.
/// </summary>
[OwnerOnly]
public sealed partial class TaxesModel(PlazaDb db, ShopScope scope, IStringLocalizer<Text> text) : PageModel
{
    /// <summary>A delivery fee taxed under no rate.</summary>
    public const string NoTax = "";

    public sealed class RateInput
    {
        public int Id { get; set; }
        public string? Name { get; set; }
        public string? Code { get; set; }
        public string? Rate { get; set; }
    }

    public sealed class Input
    {
        /// <summary>The shop's rates, then one empty row for a new rate (left empty, nothing is added).</summary>
        public List<RateInput> Rates { get; set; } = [];
        /// <summary>Index in <see cref="Rates"/> of the default rate.</summary>
        public int? Default { get; set; }
        public bool PricesIncludeTax { get; set; }
        public string? DeliveryTaxCategory { get; set; }
    }

    [BindProperty]
    public Input Form { get; set; } = new();

    public Shop Shop => scope.Current;
    /// <summary>How many items use each rate's code.</summary>
    public Dictionary<string, int> InUse { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var s = Shop;
        var rates = s.TaxRates.OrderBy(r => r.Id).ToList();
        var standard = s.DefaultTaxRate;
        Form = new Input
        {
            Rates = [.. rates.Select(r => new RateInput { Id = r.Id, Name = r.Name, Code = r.Code, Rate = BasisPoints.Format(r.BasisPoints) }), new RateInput()],
            Default = standard is null ? null : rates.IndexOf(standard),
            PricesIncludeTax = s.PricesIncludeTax,
            DeliveryTaxCategory = s.DeliveryTaxCategory ?? NoTax,
        };
        await CountUsesAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var shop = await db.Shops.Include(s => s.TaxRates).SingleAsync(s => s.Id == scope.ShopId, ct);
        await CountUsesAsync(ct);
        var changes = new List<(TaxRate Rate, string Name, int BasisPoints)>();
        TaxRate? added = null;
        TaxRate? chosenDefault = null;
        for (var i = 0; i < Form.Rates.Count; i++)
        {
            var row = Form.Rates[i];
            var name = row.Name?.Trim() ?? "";
            var rateText = row.Rate?.Trim() ?? "";
            var isNew = row.Id == 0;
            if (isNew && name.Length == 0 && rateText.Length == 0 && string.IsNullOrWhiteSpace(row.Code))
            {
                continue; // the empty row for a new rate, left empty
            }
            var existing = isNew ? null : shop.TaxRates.FirstOrDefault(r => r.Id == row.Id);
            if (!isNew && existing is null)
            {
                return NotFound();
            }
            if (name.Length is 0 or > 64)
            {
                Errors[$"Rates[{i}].Name"] = Text.Say("Give the rate a name of up to 64 characters, e.g. Food (7 %).");
            }
            var basisPoints = BasisPoints.Parse(rateText);
            if (basisPoints is null)
            {
                Errors[$"Rates[{i}].Rate"] = Text.Say("A rate is a percentage between 0 and 100, such as 7, 7.5 or 19 %.");
            }
            if (isNew)
            {
                var code = row.Code?.Trim().ToLowerInvariant() ?? "";
                if (!CodePattern().IsMatch(code))
                {
                    Errors[$"Rates[{i}].Code"] = Text.Say("A code is 1–32 small letters, digits, - or _, e.g. food or takeaway.");
                }
                else if (shop.TaxRates.Any(r => r.Code == code) || added is not null)
                {
                    Errors[$"Rates[{i}].Code"] = Text.Say("Another rate has that code; choose another.");
                }
                else if (basisPoints is { } points && name.Length is > 0 and <= 64)
                {
                    added = new TaxRate { ShopId = shop.Id, Code = code, Name = name, BasisPoints = points };
                }
                if (Form.Default == i)
                {
                    chosenDefault = added;
                }
            }
            else
            {
                if (basisPoints is { } points)
                {
                    changes.Add((existing!, name, points));
                }
                if (Form.Default == i)
                {
                    chosenDefault = existing;
                }
            }
        }
        if (chosenDefault is null && !Errors.Keys.Any(k => k.StartsWith("Rates", StringComparison.Ordinal)))
        {
            Errors["Default"] = Text.Say("Mark one rate as the default.");
        }
        var delivery = Form.DeliveryTaxCategory?.Trim() ?? NoTax;
        if (delivery != NoTax && shop.TaxRates.All(r => r.Code != delivery) && added?.Code != delivery)
        {
            Errors["DeliveryTaxCategory"] = Text.Say("Choose one of the shop's rates for the delivery fee, or none.");
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        foreach (var (rate, name, points) in changes)
        {
            rate.Name = name;
            rate.BasisPoints = points;
        }
        if (added is not null)
        {
            shop.TaxRates.Add(added);
        }
        foreach (var rate in shop.TaxRates)
        {
            rate.IsDefault = rate == chosenDefault;
        }
        shop.PricesIncludeTax = Form.PricesIncludeTax;
        shop.DeliveryTaxCategory = delivery == NoTax ? null : delivery;
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = text["Tax rates saved."].Value;
        return Redirect($"/console/{shop.Slug}/taxes");
    }

    /// <summary>
    /// Deletes a rate no item uses; with <paramref name="moveItems"/>, first moves its items (and the
    /// delivery fee, if taxed under it) to the default rate. The default rate itself is never deleted.
    /// </summary>
    public async Task<IActionResult> OnPostDeleteAsync(int id, bool moveItems, CancellationToken ct)
    {
        // Through the shop, so an id of another shop's rate finds nothing.
        var shop = await db.Shops.Include(s => s.TaxRates).SingleAsync(s => s.Id == scope.ShopId, ct);
        var rate = shop.TaxRates.FirstOrDefault(r => r.Id == id);
        if (rate is null)
        {
            return NotFound();
        }
        var standard = shop.DefaultTaxRate!;
        var items = await db.Items.CountAsync(i => i.TaxCategory == rate.Code, ct);
        string? refusal = rate == standard ? Text.Say("The default rate cannot be deleted; make another rate the default first.")
            : items > 0 && !moveItems ? Text.Say("Items use this rate; move them to the default rate first.")
            : null;
        if (refusal is not null)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            Errors["Delete"] = refusal;
            await OnGetAsync(ct);
            return Page();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (items > 0)
        {
            await db.Items.Where(i => i.TaxCategory == rate.Code).ExecuteUpdateAsync(u => u.SetProperty(i => i.TaxCategory, standard.Code), ct);
        }
        if (shop.DeliveryTaxCategory == rate.Code)
        {
            shop.DeliveryTaxCategory = standard.Code;
        }
        db.Remove(rate);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        TempData["Flash"] = items > 0
            ? text["Deleted {0}; its {1} items are now taxed as {2}.", rate.Name, items, standard.Name].Value
            : text["Deleted {0}.", rate.Name].Value;
        return Redirect($"/console/{shop.Slug}/taxes");
    }

    private async Task CountUsesAsync(CancellationToken ct) =>
        InUse = await db.Items.GroupBy(i => i.TaxCategory).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, ct);

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex CodePattern();
}
