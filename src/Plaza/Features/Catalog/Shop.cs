using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;

namespace Plaza.Features.Catalog;

public enum OrderType
{
    DineIn,
    Pickup,
    Delivery,
}

/// <summary>What a customer must give at checkout; the table identifies a dine-in order, a phone a pickup or delivery.</summary>
public enum ContactAsk
{
    Nothing = 0,
    Phone = 1,
    NameAndPhone = 2,
}

/// <summary>A shop on this node: its profile, how it sells and when it is open.</summary>
public sealed class Shop
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>ISO 4217 code, e.g. EUR, CNY.</summary>
    public required string Currency { get; set; }
    /// <summary>IANA time zone id, e.g. Europe/Berlin.</summary>
    public required string TimeZone { get; set; }
    public string Address { get; set; } = "";
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    /// <summary>"en" or "zh-Hans": the language customers see when their browser asks for none we ship.</summary>
    public string DefaultLanguage { get; set; } = "en";
    /// <summary>As customers dial it, e.g. "+86 21 5555 0100"; empty when the shop gives none.</summary>
    public string Phone { get; set; } = "";
    public string Email { get; set; } = "";
    /// <summary>The kind of shop or its cuisine, in the owner's words ("Lanzhou noodles", "bakery").</summary>
    public string Cuisine { get; set; } = "";
    /// <summary>The logo under <c>/media</c>, written by <see cref="ItemImages"/>; null when there is none.</summary>
    public string? LogoUrl { get; set; }
    /// <summary>The rate a delivery platform would have charged, in basis points, for the "you keep all of it" lines.</summary>
    public int CommissionBasisPoints { get; set; } = 2500;
    /// <summary>
    /// What a customer earns for an order their shared link brings, as basis points of its total (0: no reward).
    /// Only the link the order came through earns it, never the links above it: multi-level rewards are banned.
    /// </summary>
    public int ReferralRewardBasisPoints { get; set; }

    /// <summary>
    /// Raised by database triggers whenever the shop's settings, hours, taxes, tables or menu change
    /// (written in the Initial migrations), in the same transaction as the change, whoever makes it.
    /// <see cref="CatalogCache"/> keys on it. Never set by the application.
    /// </summary>
    public long CatalogVersion { get; set; }

    /// <summary>Not taking orders until this instant (UTC); null when not paused.</summary>
    public DateTime? PausedUntil { get; set; }

    /// <summary>
    /// The shop whose loyalty programme this one is linked into (members, points, balance, rules and tiers shared), set only
    /// by <see cref="Loyalty.Programmes"/> for two shops of one owner; null when the shop runs its own. No foreign key: on
    /// SQLite one would rebuild the table and its catalog triggers, and the link is checked where it is made.
    /// </summary>
    public int? ProgrammeShopId { get; set; }

    /// <summary>The shop whose id the programme's rows carry (<see cref="IProgrammeOwned"/>): the linked-to shop, or this one.</summary>
    public int ProgrammeId => ProgrammeShopId ?? Id;

    public bool AcceptsDineIn { get; set; } = true;
    public bool AcceptsPickup { get; set; } = true;
    public bool AcceptsDelivery { get; set; }
    public int DeliveryRadiusMeters { get; set; }
    public long DeliveryFee { get; set; }
    public long DeliveryMinimum { get; set; }
    /// <summary>Tax category code the delivery fee is taxed under; null when the fee carries no tax.</summary>
    public string? DeliveryTaxCategory { get; set; }

    /// <summary>True where menu prices include tax (EU, China); false where tax is added at checkout (US).</summary>
    public bool PricesIncludeTax { get; set; } = true;
    public bool TipsEnabled { get; set; }
    /// <summary>Tip presets offered at checkout, in percent of the items' total, comma-separated.</summary>
    public string TipPresets { get; set; } = "5,10,15";

    /// <summary>Minutes the kitchen needs before a pickup or delivery can be ready.</summary>
    public int LeadTimeMinutes { get; set; } = 15;
    public int SlotMinutes { get; set; } = 15;
    /// <summary>Most orders promised for one slot.</summary>
    public int SlotCapacity { get; set; } = 10;
    /// <summary>How many days ahead customers may order for later.</summary>
    public int OrderAheadDays { get; set; } = 3;

    /// <summary>An order not accepted within this many minutes is rejected automatically, so none silently waits.</summary>
    public int AcceptWithinMinutes { get; set; } = 5;
    /// <summary>Accept every order on placement instead of waiting for staff.</summary>
    public bool AutoAccept { get; set; }
    /// <summary>
    /// Minutes without a board open or a staff device subscribed to push after which the storefront stops
    /// taking orders (nobody would accept them); 0 turns it off. Takes orders again as soon as a board opens.
    /// </summary>
    public int UnattendedMinutes { get; set; } = 5;
    /// <summary>What a dine-in order must give: nothing by default, as the table says where it goes.</summary>
    public ContactAsk ContactAtTable { get; set; } = ContactAsk.Nothing;
    /// <summary>What a pickup or delivery order must give: at least a phone, to call about it.</summary>
    public ContactAsk ContactAway { get; set; } = ContactAsk.NameAndPhone;

    /// <summary>What an order of <paramref name="type"/> must give.</summary>
    public ContactAsk ContactFor(OrderType type) =>
        type == OrderType.DineIn ? ContactAtTable : ContactAway < ContactAsk.Phone ? ContactAsk.Phone : ContactAway;

    public List<OpeningRange> OpeningHours { get; set; } = [];
    public List<TaxRate> TaxRates { get; set; } = [];
    /// <summary>Local dates (holidays) on which the shop is closed whatever its hours say.</summary>
    public List<ClosedDate> ClosedDates { get; set; } = [];

    /// <summary>The rate marked default; a shop from before defaults existed has its first rate as default.</summary>
    public TaxRate? DefaultTaxRate => TaxRates.FirstOrDefault(r => r.IsDefault) ?? TaxRates.OrderBy(r => r.Id).FirstOrDefault();

    public bool IsPausedAt(DateTime utcNow) => PausedUntil is { } until && until > utcNow;

    public bool Accepts(OrderType type) => type switch
    {
        OrderType.DineIn => AcceptsDineIn,
        OrderType.Pickup => AcceptsPickup,
        OrderType.Delivery => AcceptsDelivery,
        _ => false,
    };
}

/// <summary>
/// One opening range on a weekday, in the shop's local time, as minutes after midnight.
/// <see cref="Closes"/> may exceed 1440 for ranges running past midnight (a bar open 18:00–02:00
/// is Opens = 1080, Closes = 1560 on the day it opens).
/// </summary>
public sealed class OpeningRange
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public DayOfWeek Day { get; set; }
    public int Opens { get; set; }
    public int Closes { get; set; }

    /// <summary>Minutes after midnight as HH:mm; 1440 is "24:00", later times wrap to the next day's clock.</summary>
    public static string Clock(int minutes) => minutes == 24 * 60
        ? "24:00"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{minutes / 60 % 24:00}:{minutes % 60:00}");
}

/// <summary>A tax category with the rate the shop applies, in basis points (700 = 7 %).</summary>
public sealed class TaxRate
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public int BasisPoints { get; set; }
    /// <summary>The rate new items and the delivery fee get unless the owner picks another; one per shop.</summary>
    public bool IsDefault { get; set; }
}

/// <summary>A local date in the shop's time zone on which it takes no orders (and, later, no reservations).</summary>
public sealed class ClosedDate
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public DateOnly Date { get; set; }
    /// <summary>What customers are told, e.g. "Spring Festival".</summary>
    public string Note { get; set; } = "";
}

/// <summary>A table a QR code points at (dine-in).</summary>
public sealed class ShopTable : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    /// <summary>What the table's code and link carry (<c>/s/{shop}/t/{code}</c>); never changes once printed.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>How many it seats; 0 when not given.</summary>
    public int Seats { get; set; }
    /// <summary>Where it stands, e.g. "terrace"; empty when the shop has one room.</summary>
    public string Area { get; set; } = "";
    /// <summary>Taken out of service: its code takes no new orders; orders already placed at it keep its code.</summary>
    public bool Retired { get; set; }
    /// <summary>Offered for reservations (<see cref="Reservations.Availability"/>); walk-in only when false.</summary>
    public bool Bookable { get; set; }
}

internal sealed class ShopConfiguration : IEntityTypeConfiguration<Shop>, IEntityTypeConfiguration<OpeningRange>,
    IEntityTypeConfiguration<TaxRate>, IEntityTypeConfiguration<ShopTable>, IEntityTypeConfiguration<ClosedDate>
{
    public void Configure(EntityTypeBuilder<Shop> shop)
    {
        shop.HasIndex(s => s.Slug).IsUnique();
        shop.Property(s => s.Slug).HasMaxLength(64);
        shop.Property(s => s.Name).HasMaxLength(120);
        shop.Property(s => s.Description).HasMaxLength(2000);
        shop.Property(s => s.Currency).HasMaxLength(3);
        shop.Property(s => s.TimeZone).HasMaxLength(64);
        shop.Property(s => s.Address).HasMaxLength(300);
        shop.Property(s => s.DefaultLanguage).HasMaxLength(16);
        shop.Property(s => s.DeliveryTaxCategory).HasMaxLength(32);
        shop.Property(s => s.TipPresets).HasMaxLength(64);
        shop.Property(s => s.Phone).HasMaxLength(32);
        shop.Property(s => s.Email).HasMaxLength(254);
        shop.Property(s => s.Cuisine).HasMaxLength(64);
        shop.Property(s => s.LogoUrl).HasMaxLength(500);
        shop.HasMany(s => s.ClosedDates).WithOne().HasForeignKey(d => d.ShopId);
        shop.HasMany(s => s.OpeningHours).WithOne().HasForeignKey(r => r.ShopId);
        shop.HasMany(s => s.TaxRates).WithOne().HasForeignKey(r => r.ShopId);
    }

    public void Configure(EntityTypeBuilder<OpeningRange> range) => range.HasIndex(r => new { r.ShopId, r.Day });

    public void Configure(EntityTypeBuilder<TaxRate> rate)
    {
        rate.HasIndex(r => new { r.ShopId, r.Code }).IsUnique();
        rate.Property(r => r.Code).HasMaxLength(32);
        rate.Property(r => r.Name).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<ShopTable> table)
    {
        table.HasIndex(t => new { t.ShopId, t.Code }).IsUnique();
        table.Property(t => t.Code).HasMaxLength(32);
        table.Property(t => t.Name).HasMaxLength(64);
        table.Property(t => t.Area).HasMaxLength(64);
        table.HasOne<Shop>().WithMany().HasForeignKey(t => t.ShopId);
    }

    public void Configure(EntityTypeBuilder<ClosedDate> closed)
    {
        closed.HasIndex(d => new { d.ShopId, d.Date }).IsUnique();
        closed.Property(d => d.Note).HasMaxLength(120);
    }
}
