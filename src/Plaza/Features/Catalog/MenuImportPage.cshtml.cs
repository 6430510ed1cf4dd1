using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>The preview of a menu import: what each row adds or changes, confirmed or cancelled by the owner; and its undo.</summary>
[OwnerOnly]
public sealed class MenuImportPageModel(MenuImports imports, ShopScope scope) : PageModel
{
    public MenuImport Import { get; private set; } = null!;
    public List<MenuImportLine> Lines { get; private set; } = [];

    public string Price(long amount) => Currencies.Format(new Money(amount, scope.Current.Currency));

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await imports.FindAsync(id, ct) is not { Status: MenuImportStatus.Pending } import)
        {
            return Menu();
        }
        Import = import;
        Lines = await imports.PlanAsync(import, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync(int id, CancellationToken ct)
    {
        if (await imports.FindAsync(id, ct) is { } import && await imports.ApplyAsync(import, ct))
        {
            TempData["Flash"] = Text.Say("Imported {0} items.", import.Rows);
        }
        return Menu();
    }

    public async Task<IActionResult> OnPostDiscardAsync(int id, CancellationToken ct)
    {
        if (await imports.FindAsync(id, ct) is { } import)
        {
            await imports.DiscardAsync(import, ct);
            TempData["Flash"] = Text.Say("Nothing imported.");
        }
        return Menu();
    }

    public async Task<IActionResult> OnPostUndoAsync(int id, CancellationToken ct)
    {
        TempData["Flash"] = await imports.FindAsync(id, ct) is { } import && await imports.UndoAsync(import, ct)
            ? Text.Say("The import of {0} is undone: the menu is as it was before.", import.FileName)
            : Text.Say("Only the last import can be undone, once.");
        return Menu();
    }

    private RedirectResult Menu() => Redirect($"/console/{scope.Current.Slug}/menu");
}
