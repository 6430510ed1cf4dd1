using System.Text;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>The owner's menu: categories and items, their order, CSV export and import.</summary>
[OwnerOnly]
public sealed class MenuEditorModel(PlazaDb db, ShopScope scope, MenuImports imports) : PageModel
{
    public List<Category> Categories { get; private set; } = [];

    public string Price(long amount) => Currencies.Format(new Money(amount, scope.Current.Currency));

    /// <summary>The last import, while it can be undone.</summary>
    public MenuImport? LastImport { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.Position).ThenBy(c => c.Id)
            .Include(c => c.Items.OrderBy(i => i.Position).ThenBy(i => i.Id)).ToListAsync(ct);
        LastImport = await imports.LastAppliedAsync(ct);
    }

    public async Task<IActionResult> OnPostAddCategoryAsync(string name, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 120)
        {
            TempData["Flash"] = Text.Say("A category needs a name of up to 120 characters.");
            return Back();
        }
        var last = await db.Categories.MaxAsync(c => (int?)c.Position, ct) ?? -1;
        db.Categories.Add(new Category { ShopId = scope.ShopId, Name = name, Position = last + 1 });
        await db.SaveChangesAsync(ct);
        return Back();
    }

    public async Task<IActionResult> OnPostRenameCategoryAsync(int id, string name, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 120)
        {
            return Back();
        }
        return await db.Categories.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, name), ct) == 0 ? NotFound() : Back();
    }

    public async Task<IActionResult> OnPostDeleteCategoryAsync(int id, CancellationToken ct)
    {
        if (await db.Items.AnyAsync(i => i.CategoryId == id, ct))
        {
            TempData["Flash"] = Text.Say("Move or delete the category's items first.");
            return Back();
        }
        await db.MenuTranslations.Where(t => t.Kind == MenuTextKind.Category && t.TargetId == id).ExecuteDeleteAsync(ct);
        return await db.Categories.Where(c => c.Id == id).ExecuteDeleteAsync(ct) == 0 ? NotFound() : Back();
    }

    /// <summary>Swaps a category with its neighbour above or below.</summary>
    public async Task<IActionResult> OnPostMoveCategoryAsync(int id, int by, CancellationToken ct)
    {
        var all = await db.Categories.OrderBy(c => c.Position).ThenBy(c => c.Id).ToListAsync(ct);
        return await MoveAsync(all, id, by, c => c.Id, (c, p) => c.Position = p, ct);
    }

    public async Task<IActionResult> OnPostMoveItemAsync(int id, int by, CancellationToken ct)
    {
        var item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null)
        {
            return NotFound();
        }
        var siblings = await db.Items.Where(i => i.CategoryId == item.CategoryId).OrderBy(i => i.Position).ThenBy(i => i.Id).ToListAsync(ct);
        return await MoveAsync(siblings, id, by, i => i.Id, (i, p) => i.Position = p, ct);
    }

    private async Task<IActionResult> MoveAsync<T>(List<T> ordered, int id, int by, Func<T, int> idOf, Action<T, int> setPosition, CancellationToken ct)
    {
        var index = ordered.FindIndex(x => idOf(x) == id);
        if (index < 0)
        {
            return NotFound();
        }
        var target = Math.Clamp(index + Math.Sign(by), 0, ordered.Count - 1);
        (ordered[index], ordered[target]) = (ordered[target], ordered[index]);
        for (var p = 0; p < ordered.Count; p++)
        {
            setPosition(ordered[p], p);
        }
        await db.SaveChangesAsync(ct);
        return Back();
    }

    /// <summary>The menu as CSV: one row per item, options as "Group: Option +delta; …".</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var items = await db.Items.AsNoTracking().Include(i => i.OptionGroups).ThenInclude(g => g.Options).AsSplitQuery().ToListAsync(ct);
        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var csv = MenuCsv.Write(items.OrderBy(i => i.CategoryId).ThenBy(i => i.Position), categories, Currencies.DigitsOf(scope.Current.Currency));
        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", $"{scope.Current.Slug}-menu.csv");
    }

    /// <summary>Reads the file and shows what it would change; the menu changes only when the owner confirms there.</summary>
    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length is 0 or > MenuImports.MaxBytes)
        {
            TempData["Flash"] = Text.Say("Choose a CSV file of up to 512 KB.");
            return Back();
        }
        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes, ct);
        var (import, errors) = await imports.ReadAsync(Path.GetFileName(file.FileName), bytes.ToArray(), ct);
        if (import is null)
        {
            TempData["Flash"] = Text.Say("Nothing imported: {0}", string.Join(" ", errors.Take(5)));
            return Back();
        }
        return Redirect($"/console/{scope.Current.Slug}/menu/import/{import.Id}");
    }

    private RedirectResult Back() => Redirect($"/console/{scope.Current.Slug}/menu");
}
