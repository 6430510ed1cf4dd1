using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>Every piece of menu text beside its translation, on one page, for whoever translates the menu.</summary>
[OwnerOnly]
public sealed class TranslationsModel(PlazaDb db, ShopScope scope) : PageModel
{
    public sealed record Row(MenuTextKind Kind, int Id, string Original, string? OriginalDescription, string Indent);

    public List<Row> Rows { get; private set; } = [];
    public MenuTexts Texts { get; private set; } = null!;

    public string Language => scope.Current.DefaultLanguage == "zh-Hans" ? "en" : "zh-Hans";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Texts = await MenuTexts.LoadAsync(db, Language, ct);
        var categories = await db.Categories.AsNoTracking().OrderBy(c => c.Position).ThenBy(c => c.Id)
            .Include(c => c.Items.OrderBy(i => i.Position)).ThenInclude(i => i.OptionGroups.OrderBy(g => g.Position)).ThenInclude(g => g.Options.OrderBy(o => o.Position))
            .AsSplitQuery().ToListAsync(ct);
        foreach (var category in categories)
        {
            Rows.Add(new Row(MenuTextKind.Category, category.Id, category.Name, null, ""));
            foreach (var item in category.Items)
            {
                Rows.Add(new Row(MenuTextKind.Item, item.Id, item.Name, item.Description, "i1"));
                foreach (var group in item.OptionGroups)
                {
                    Rows.Add(new Row(MenuTextKind.OptionGroup, group.Id, group.Name, null, "i2"));
                    Rows.AddRange(group.Options.Select(o => new Row(MenuTextKind.Option, o.Id, o.Name, null, "i3")));
                }
            }
        }
    }

    /// <summary>Form fields are named "{Kind}:{Id}" (and "{Kind}:{Id}:d" for descriptions).</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await OnGetAsync(ct);
        foreach (var row in Rows)
        {
            var key = $"{row.Kind}:{row.Id}";
            if (!Request.Form.TryGetValue(key, out var name))
            {
                continue;
            }
            await MenuTranslations.SetAsync(db, scope.ShopId, row.Kind, row.Id, Language, name, Request.Form[key + ":d"], ct);
        }
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = Text.Say("Translations saved.");
        return Redirect($"/console/{scope.Current.Slug}/translations");
    }
}
