using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Catalog;

public static class MenuTranslations
{
    /// <summary>Adds, changes or (for an empty name) removes one translated text; saved with the caller's SaveChanges.</summary>
    public static async Task SetAsync(PlazaDb db, int shopId, MenuTextKind kind, int targetId, string language, string? name, string? description, CancellationToken ct)
    {
        var existing = await db.MenuTranslations.FirstOrDefaultAsync(t => t.Kind == kind && t.TargetId == targetId && t.Language == language, ct);
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (existing is not null)
            {
                db.MenuTranslations.Remove(existing);
            }
            return;
        }
        if (existing is null)
        {
            existing = new MenuTranslation { ShopId = shopId, Kind = kind, TargetId = targetId, Language = language, Name = name };
            db.MenuTranslations.Add(existing);
        }
        existing.Name = name.Length > 120 ? name[..120] : name;
        existing.Description = description?.Trim() is { Length: > 1000 } d ? d[..1000] : description?.Trim() ?? "";
    }
}
