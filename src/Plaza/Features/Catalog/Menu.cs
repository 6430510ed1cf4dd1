using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;

namespace Plaza.Features.Catalog;

public sealed class Category : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public List<Item> Items { get; set; } = [];
}

public sealed class Item : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public int CategoryId { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>Minor units, as the shop quotes it (tax-inclusive or not, per the shop).</summary>
    public long Price { get; set; }
    public string? ImageUrl { get; set; }
    /// <summary>Dietary tags such as vegan, vegetarian, spicy — lower case, comma-separated.</summary>
    public string Tags { get; set; } = "";
    public Allergens Allergens { get; set; }
    public bool SoldOut { get; set; }
    /// <summary>Units left; null when the item is not counted.</summary>
    public int? Stock { get; set; }
    public required string TaxCategory { get; set; }
    public int Position { get; set; }
    public List<OptionGroup> OptionGroups { get; set; } = [];

    public bool IsAvailable => !SoldOut && Stock is null or > 0;

    public IEnumerable<string> TagList => Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Which kind of menu text a translation belongs to.</summary>
public enum MenuTextKind
{
    Category,
    Item,
    OptionGroup,
    Option,
}

/// <summary>A category's, item's, option group's or option's text in another language the shop serves.</summary>
public sealed class MenuTranslation : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public MenuTextKind Kind { get; set; }
    /// <summary>The id of the category, item, option group or option.</summary>
    public int TargetId { get; set; }
    /// <summary>"en" or "zh-Hans".</summary>
    public required string Language { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
}

public sealed class OptionGroup : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public int ItemId { get; set; }
    public required string Name { get; set; }
    public int MinSelect { get; set; }
    public int MaxSelect { get; set; } = 1;
    public int Position { get; set; }
    public List<Option> Options { get; set; } = [];
}

public sealed class Option : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public int OptionGroupId { get; set; }
    public required string Name { get; set; }
    public long PriceDelta { get; set; }
    public int Position { get; set; }
}

/// <summary>The 14 allergens EU Regulation 1169/2011 Annex II requires food businesses to declare.</summary>
[Flags]
public enum Allergens
{
    None = 0,
    Gluten = 1 << 0,
    Crustaceans = 1 << 1,
    Eggs = 1 << 2,
    Fish = 1 << 3,
    Peanuts = 1 << 4,
    Soybeans = 1 << 5,
    Milk = 1 << 6,
    Nuts = 1 << 7,
    Celery = 1 << 8,
    Mustard = 1 << 9,
    Sesame = 1 << 10,
    Sulphites = 1 << 11,
    Lupin = 1 << 12,
    Molluscs = 1 << 13,
}

internal sealed class MenuConfiguration : IEntityTypeConfiguration<Category>, IEntityTypeConfiguration<Item>,
    IEntityTypeConfiguration<OptionGroup>, IEntityTypeConfiguration<Option>, IEntityTypeConfiguration<MenuTranslation>
{
    public void Configure(EntityTypeBuilder<MenuTranslation> translation)
    {
        translation.Property(t => t.Language).HasMaxLength(16);
        translation.Property(t => t.Name).HasMaxLength(120);
        translation.Property(t => t.Description).HasMaxLength(1000);
        translation.HasIndex(t => new { t.ShopId, t.Language, t.Kind, t.TargetId }).IsUnique();
        translation.HasOne<Shop>().WithMany().HasForeignKey(t => t.ShopId);
    }

    public void Configure(EntityTypeBuilder<Category> category)
    {
        category.Property(c => c.Name).HasMaxLength(120);
        category.HasIndex(c => new { c.ShopId, c.Position });
        category.HasOne<Shop>().WithMany().HasForeignKey(c => c.ShopId);
        category.HasMany(c => c.Items).WithOne().HasForeignKey(i => i.CategoryId);
    }

    public void Configure(EntityTypeBuilder<Item> item)
    {
        item.Property(i => i.Name).HasMaxLength(120);
        item.Property(i => i.Description).HasMaxLength(1000);
        item.Property(i => i.ImageUrl).HasMaxLength(500);
        item.Property(i => i.Tags).HasMaxLength(200);
        item.Property(i => i.TaxCategory).HasMaxLength(32);
        item.HasIndex(i => new { i.ShopId, i.CategoryId, i.Position });
        item.HasOne<Shop>().WithMany().HasForeignKey(i => i.ShopId).OnDelete(DeleteBehavior.NoAction);
        item.HasMany(i => i.OptionGroups).WithOne().HasForeignKey(g => g.ItemId);
        item.Ignore(i => i.IsAvailable);
        item.Ignore(i => i.TagList);
    }

    public void Configure(EntityTypeBuilder<OptionGroup> group)
    {
        group.Property(g => g.Name).HasMaxLength(120);
        group.HasIndex(g => new { g.ShopId, g.ItemId });
        group.HasMany(g => g.Options).WithOne().HasForeignKey(o => o.OptionGroupId);
    }

    public void Configure(EntityTypeBuilder<Option> option)
    {
        option.Property(o => o.Name).HasMaxLength(120);
        option.HasIndex(o => new { o.ShopId, o.OptionGroupId });
    }
}
