using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Catalog;

public enum MenuImportStatus
{
    /// <summary>Read and shown to the owner; nothing on the menu changed yet.</summary>
    Pending,
    Applied,
    Undone,
    Discarded,
}

/// <summary>
/// A CSV file an owner uploaded: kept from the preview to the confirmation, and after it as what the last
/// import changed, so that it can be undone (<see cref="MenuImports"/>).
/// </summary>
public sealed class MenuImport : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public DateTime CreatedAt { get; set; }
    public MenuImportStatus Status { get; set; }
    public string FileName { get; set; } = "";
    /// <summary>The encoding the file was read in: utf-8, gb18030, utf-16.</summary>
    public string Encoding { get; set; } = "";
    /// <summary>The file's text, decoded.</summary>
    public string Csv { get; set; } = "";
    /// <summary>Once applied: the items it changed as they were before, as a menu CSV (what undo imports back).</summary>
    public string Before { get; set; } = "";
    /// <summary>Once applied: the ids of the items and categories it added, comma-separated (what undo deletes).</summary>
    public string AddedItems { get; set; } = "";
    public string AddedCategories { get; set; } = "";
    public int Rows { get; set; }
}

internal sealed class MenuImportConfiguration : IEntityTypeConfiguration<MenuImport>
{
    public void Configure(EntityTypeBuilder<MenuImport> import)
    {
        import.Property(i => i.FileName).HasMaxLength(255);
        import.Property(i => i.Encoding).HasMaxLength(16);
        import.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        import.HasIndex(i => new { i.ShopId, i.CreatedAt });
        import.HasOne<Shop>().WithMany().HasForeignKey(i => i.ShopId).OnDelete(DeleteBehavior.NoAction);
    }
}
