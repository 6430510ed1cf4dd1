using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Promotions;

namespace Plaza.Features.Catalog;

/// <summary>
/// A menu import in three steps an owner can see: the file is read and kept (<see cref="ReadAsync"/>), the preview says
/// what each row would add or change (<see cref="PlanAsync"/>), and only the confirmation changes the menu
/// (<see cref="ApplyAsync"/>). The last applied import can be undone: what it added is deleted, what it changed is put
/// back as it was (<see cref="UndoAsync"/>).
/// </summary>
public sealed class MenuImports(PlazaDb db, ShopScope scope, MenuAnnouncements announcements, TimeProvider clock)
{
    public const int MaxBytes = 512 * 1024;

    private int Digits => Currencies.DigitsOf(scope.Current.Currency);

    /// <summary>Reads an uploaded file; the pending import, or what is wrong with the file (worded for the owner).</summary>
    public async Task<(MenuImport? Import, List<string> Errors)> ReadAsync(string fileName, byte[] bytes, CancellationToken ct)
    {
        var (text, encoding) = SpreadsheetText.Decode(bytes);
        var (rows, errors) = MenuCsv.Read(text, Digits);
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var import = new MenuImport
        {
            ShopId = scope.ShopId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Status = MenuImportStatus.Pending,
            FileName = fileName.Length > 255 ? fileName[..255] : fileName,
            Encoding = encoding,
            Csv = text,
            Rows = rows.Count,
        };
        db.MenuImports.Add(import);
        await db.SaveChangesAsync(ct);
        return (import, []);
    }

    public Task<MenuImport?> FindAsync(int id, CancellationToken ct) => db.MenuImports.FirstOrDefaultAsync(i => i.Id == id, ct);

    /// <summary>The last import this shop applied, while it can still be undone.</summary>
    public Task<MenuImport?> LastAppliedAsync(CancellationToken ct) =>
        db.MenuImports.AsNoTracking().Where(i => i.Status == MenuImportStatus.Applied).OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);

    public async Task<List<MenuImportLine>> PlanAsync(MenuImport import, CancellationToken ct)
    {
        var (rows, _) = MenuCsv.Read(import.Csv, Digits);
        var categories = await db.Categories.AsNoTracking().ToListAsync(ct);
        var items = await db.Items.AsNoTracking().Include(i => i.OptionGroups).ThenInclude(g => g.Options).AsSplitQuery().ToListAsync(ct);
        return MenuCsv.Plan(rows, categories, items, Digits);
    }

    /// <summary>Changes the menu as the preview said, keeping what undo needs; false when the import is no longer pending.</summary>
    public async Task<bool> ApplyAsync(MenuImport import, CancellationToken ct)
    {
        if (import.Status != MenuImportStatus.Pending)
        {
            return false;
        }
        var (rows, _) = MenuCsv.Read(import.Csv, Digits);
        var categoriesBefore = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var itemsBefore = await db.Items.AsNoTracking().Include(i => i.OptionGroups).ThenInclude(g => g.Options).AsSplitQuery().ToListAsync(ct);
        var touched = rows.Select(r => (r.Category, r.Name)).ToHashSet();
        var changedBefore = itemsBefore.Where(i => touched.Contains((categoriesBefore.GetValueOrDefault(i.CategoryId, ""), i.Name))).ToList();
        // The whole import is one save, so an announcement lists everything it added or repriced in one post.
        await announcements.ApplyAsync(async () =>
        {
            var changes = await MenuCsv.ImportAsync(db, scope.ShopId, rows, ct);
            import.Before = MenuCsv.Write(changedBefore, categoriesBefore, Digits);
            import.AddedItems = Ids(changes.Where(c => c.IsNew).Select(c => c.Item.Id));
            import.AddedCategories = Ids((await db.Categories.AsNoTracking().Select(c => c.Id).ToListAsync(ct)).Where(id => !categoriesBefore.ContainsKey(id)));
            import.Status = MenuImportStatus.Applied;
            // An older applied import can no longer be undone: undo goes back one step only.
            await db.MenuImports.Where(i => i.Status == MenuImportStatus.Applied && i.Id != import.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, MenuImportStatus.Undone), ct);
            await db.SaveChangesAsync(ct);
            return changes;
        }, ct);
        return true;
    }

    public async Task DiscardAsync(MenuImport import, CancellationToken ct)
    {
        if (import.Status == MenuImportStatus.Pending)
        {
            import.Status = MenuImportStatus.Discarded;
            import.Csv = "";
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Deletes what the import added and puts back what it changed; false when it is not the last applied one.</summary>
    public async Task<bool> UndoAsync(MenuImport import, CancellationToken ct)
    {
        if (import.Status != MenuImportStatus.Applied || (await LastAppliedAsync(ct))?.Id != import.Id)
        {
            return false;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var addedItems = Parse(import.AddedItems);
        var addedCategories = Parse(import.AddedCategories);
        await db.MenuTranslations.Where(t => t.Kind == MenuTextKind.Item && addedItems.Contains(t.TargetId)).ExecuteDeleteAsync(ct);
        db.Items.RemoveRange(await db.Items.Include(i => i.OptionGroups).ThenInclude(g => g.Options).Where(i => addedItems.Contains(i.Id)).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
        // A category the import made goes again only when nothing else was put in it since.
        var emptyAdded = await db.Categories.Where(c => addedCategories.Contains(c.Id) && !c.Items.Any()).ToListAsync(ct);
        db.Categories.RemoveRange(emptyAdded);
        await db.MenuTranslations.Where(t => t.Kind == MenuTextKind.Category && emptyAdded.Select(c => c.Id).Contains(t.TargetId)).ExecuteDeleteAsync(ct);
        var (before, _) = MenuCsv.Read(import.Before, Digits);
        await MenuCsv.ImportAsync(db, scope.ShopId, before, ct);
        import.Status = MenuImportStatus.Undone;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private static string Ids(IEnumerable<int> ids) => string.Join(',', ids.Order().Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private static List<int> Parse(string ids) =>
        [.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => int.Parse(i, CultureInfo.InvariantCulture))];
}
