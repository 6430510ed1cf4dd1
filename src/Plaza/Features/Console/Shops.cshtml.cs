using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Console;

/// <summary>
/// An owner's shops, and opening another (a main business and a sideline) under the same sign-in: the
/// new shop starts like one made with <c>create-shop</c>, with its currency, zone and language
/// taken from the shop the owner is in.
/// </summary>
[OwnerOnly]
public sealed class ShopsModel(PlazaDb db, ShopScope scope, ConsoleMember member, IStringLocalizer<Text> text) : PageModel
{
    public sealed class Input
    {
        public string Name { get; set; } = "";
        public string Slug { get; set; } = "";
        public string Currency { get; set; } = "";
        public string TimeZone { get; set; } = "";
        public string Language { get; set; } = "en";
    }

    public sealed record ShopLink(string Slug, string Name, ShopRole Role);

    [BindProperty]
    public Input Form { get; set; } = new();

    public List<ShopLink> Shops { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var here = scope.Current;
        Form = new Input { Currency = here.Currency, TimeZone = here.TimeZone, Language = here.DefaultLanguage };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Form;
        f.Slug = f.Slug.Trim().ToLowerInvariant();
        f.Currency = f.Currency.Trim().ToUpperInvariant();
        f.TimeZone = f.TimeZone.Trim();
        foreach (var (field, problem) in await NewShop.CheckAsync(db, f.Slug, f.Name, f.Currency, f.TimeZone, ct))
        {
            Errors[field] = text[problem];
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
        var shop = NewShop.Build(f.Slug, f.Name, f.Currency, f.TimeZone, f.Language);
        db.Shops.Add(shop);
        await db.SaveChangesAsync(ct);
        // The membership belongs to the new shop, outside the scope of the one this request is in.
        db.Memberships.Add(new Membership { AccountId = member.AccountId, ShopId = shop.Id, Role = ShopRole.Owner });
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = text["Opened {0}. Next: its hours, tax rates, tables and menu.", shop.Name].Value;
        return Redirect($"/console/{shop.Slug}/settings");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        // The one view that spans a person's shops, so it lifts the shop filter by name.
        Shops = await db.Memberships.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(m => m.AccountId == member.AccountId)
            .OrderBy(m => m.Shop!.Name)
            .Select(m => new ShopLink(m.Shop!.Slug, m.Shop.Name, m.Role))
            .ToListAsync(ct);
}
