using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Promotions;

namespace Plaza.Features.Catalog;

/// <summary>Create or edit one item: prices, tax, tags, allergens, stock, options and its translation.</summary>
[OwnerOnly]
public sealed class ItemEditorModel(PlazaDb db, ShopScope scope, ItemImages images, MenuAnnouncements announcements) : PageModel
{
    public sealed class Input
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string Price { get; set; } = "";
        public int CategoryId { get; set; }
        public string TaxCategory { get; set; } = "";
        public string? Tags { get; set; }
        public List<string> Allergens { get; set; } = [];
        public int? Stock { get; set; }
        public bool SoldOut { get; set; }
        /// <summary>One group per line: "Size(1-1): Regular +0.00 | Large +0.60".</summary>
        public string? Options { get; set; }
        public string? TranslatedName { get; set; }
        public string? TranslatedDescription { get; set; }
        public IFormFile? Image { get; set; }
        public bool RemoveImage { get; set; }
    }

    public string? ImageUrl { get; private set; }

    [BindProperty]
    public Input Form { get; set; } = new();

    public Plaza.Features.Catalog.Shop Shop => scope.Current;
    public List<Category> Categories { get; private set; } = [];
    public bool IsNew { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>The shipped language that is not the shop's own, offered for translation.</summary>
    public string OtherLanguage => Shop.DefaultLanguage == "zh-Hans" ? "en" : "zh-Hans";

    private int Digits => Currencies.DigitsOf(Shop.Currency);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.Position).ToListAsync(ct);
        if (id == "new")
        {
            IsNew = true;
            Form = new Input { CategoryId = Categories.FirstOrDefault()?.Id ?? 0, TaxCategory = Shop.DefaultTaxRate?.Code ?? "" };
            return Page();
        }
        var item = await LoadAsync(id, ct);
        if (item is null)
        {
            return NotFound();
        }
        var translation = await db.MenuTranslations.AsNoTracking()
            .FirstOrDefaultAsync(t => t.Kind == MenuTextKind.Item && t.TargetId == item.Id && t.Language == OtherLanguage, ct);
        ImageUrl = item.ImageUrl;
        Form = new Input
        {
            Name = item.Name,
            Description = item.Description,
            Price = MenuCsv.Major(item.Price, Digits),
            CategoryId = item.CategoryId,
            TaxCategory = item.TaxCategory,
            Tags = item.Tags,
            Allergens = MenuQuery.AllergenNames(item.Allergens),
            Stock = item.Stock,
            SoldOut = item.SoldOut,
            Options = OptionsText(item),
            TranslatedName = translation?.Name,
            TranslatedDescription = translation?.Description,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.Position).ToListAsync(ct);
        IsNew = id == "new";
        var item = IsNew ? new Item { ShopId = scope.ShopId, Name = "", TaxCategory = "" } : await LoadAsync(id, ct);
        if (item is null)
        {
            return NotFound();
        }
        var name = Form.Name.Trim();
        if (name.Length is 0 or > 120)
        {
            Errors["Name"] = Text.Say("Give a name of up to 120 characters.");
        }
        var price = MenuCsv.MinorUnits(Form.Price, Digits);
        if (price is null or < 0 or > 100_000_000)
        {
            Errors["Price"] = Text.Say("Give a price such as 3.50.");
        }
        if (Categories.All(c => c.Id != Form.CategoryId))
        {
            Errors["CategoryId"] = Text.Say("Choose a category (add one on the menu page first).");
        }
        if (Shop.TaxRates.All(r => r.Code != Form.TaxCategory))
        {
            Errors["TaxCategory"] = Text.Say("Choose a tax category.");
        }
        if (Form.Stock is < 0 or > 100_000)
        {
            Errors["Stock"] = Text.Say("Stock is between 0 and 100000, or empty for not counted.");
        }
        var groups = MenuCsv.Options((Form.Options ?? "").Replace("\r", "", StringComparison.Ordinal).Replace('\n', ';'), Digits, out var optionError);
        if (optionError is not null)
        {
            Errors["Options"] = optionError;
        }
        var allergens = Catalog.Allergens.None;
        foreach (var word in Form.Allergens)
        {
            allergens |= Enum.TryParse<Allergens>(word, ignoreCase: true, out var a) ? a : Catalog.Allergens.None;
        }
        ImageUrl = item.ImageUrl;
        string? newImage = null;
        if (Errors.Count == 0 && Form.Image is { } upload)
        {
            var (saved, imageError) = await images.SaveAsync(scope.ShopId, upload, ct);
            if (imageError is not null)
            {
                Errors["Image"] = imageError;
            }
            newImage = saved?.Url;
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var change = new MenuChange(item, IsNew ? null : item.Price);
        item.ImageUrl = newImage ?? (Form.RemoveImage ? null : item.ImageUrl);
        item.Name = name;
        item.Description = Form.Description?.Trim() ?? "";
        item.Price = price!.Value;
        item.CategoryId = Form.CategoryId;
        item.TaxCategory = Form.TaxCategory;
        item.Tags = string.Join(',', (Form.Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToLowerInvariant()).Distinct());
        item.Allergens = allergens;
        item.Stock = Form.Stock;
        item.SoldOut = Form.SoldOut;
        // Options are replaced only when their text changed, so carts holding option ids stay valid.
        if (OptionsText(item) != (Form.Options ?? "").Replace("\r", "", StringComparison.Ordinal).Trim())
        {
            db.OptionGroups.RemoveRange(item.OptionGroups);
            item.OptionGroups = groups;
            foreach (var group in groups)
            {
                group.ShopId = scope.ShopId;
                group.Options.ForEach(o => o.ShopId = scope.ShopId);
            }
        }
        await announcements.ApplyAsync(async () =>
        {
            if (IsNew)
            {
                item.Position = await db.Items.Where(i => i.CategoryId == item.CategoryId).CountAsync(ct);
                db.Items.Add(item);
            }
            await db.SaveChangesAsync(ct);
            await MenuTranslations.SetAsync(db, scope.ShopId, MenuTextKind.Item, item.Id, OtherLanguage, Form.TranslatedName, Form.TranslatedDescription, ct);
            await db.SaveChangesAsync(ct);
            return [change];
        }, ct);
        TempData["Flash"] = Text.Say("Saved {0}.", item.Name);
        return Redirect($"/console/{Shop.Slug}/menu#category-{item.CategoryId}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken ct)
    {
        var item = await LoadAsync(id, ct);
        if (item is null)
        {
            return NotFound();
        }
        db.Remove(item);
        await db.MenuTranslations.Where(t => t.Kind == MenuTextKind.Item && t.TargetId == item.Id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = Text.Say("Deleted {0}.", item.Name);
        return Redirect($"/console/{Shop.Slug}/menu");
    }

    private Task<Item?> LoadAsync(string id, CancellationToken ct) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var itemId)
            ? db.Items.Include(i => i.OptionGroups).ThenInclude(g => g.Options).AsSplitQuery().FirstOrDefaultAsync(i => i.Id == itemId, ct)
            : Task.FromResult<Item?>(null);

    private string OptionsText(Item item) => string.Join('\n', item.OptionGroups.OrderBy(g => g.Position).Select(g =>
        $"{g.Name}({g.MinSelect}-{g.MaxSelect}): " + string.Join(" | ", g.Options.OrderBy(o => o.Position).Select(o => $"{o.Name} +{MenuCsv.Major(o.PriceDelta, Digits)}"))));
}
