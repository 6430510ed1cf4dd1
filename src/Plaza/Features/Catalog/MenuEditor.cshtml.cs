using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Promotions;

namespace Plaza.Features.Catalog;

/// <summary>The owner's menu: categories and items, their order, CSV export and import.</summary>
[OwnerOnly]
public sealed class MenuEditorModel(PlazaDb db, ShopScope scope, MenuAnnouncements announcements) : PageModel
{
    public List<Category> Categories { get; private set; } = [];

    public string Price(long amount) => Currencies.Format(new Money(amount, scope.Current.Currency));

    public async Task OnGetAsync(CancellationToken ct) =>
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.Position).ThenBy(c => c.Id)
            .Include(c => c.Items.OrderBy(i => i.Position).ThenBy(i => i.Id)).ToListAsync(ct);

    public async Task<IActionResult> OnPostAddCategoryAsync(string name, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 120)
        {
            TempData["Flash"] = "A category needs a name of up to 120 characters.";
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
            TempData["Flash"] = "Move or delete the category's items first.";
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

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length is 0 or > 512 * 1024)
        {
            TempData["Flash"] = "Choose a CSV file of up to 512 KB.";
            return Back();
        }
        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        var (rows, errors) = MenuCsv.Read(await reader.ReadToEndAsync(ct), Currencies.DigitsOf(scope.Current.Currency));
        if (errors.Count > 0)
        {
            TempData["Flash"] = "Nothing imported: " + string.Join(" ", errors.Take(5));
            return Back();
        }
        // The whole import is one save, so an announcement lists everything it added or repriced in one post.
        await announcements.ApplyAsync(() => MenuCsv.ImportAsync(db, scope.ShopId, rows, ct), ct);
        TempData["Flash"] = string.Format(CultureInfo.InvariantCulture, "Imported {0} items.", rows.Count);
        return Back();
    }

    private RedirectResult Back() => Redirect($"/console/{scope.Current.Slug}/menu");
}
