namespace Plaza.Common;

/// <summary>
/// A row that belongs to one shop. <see cref="Data.PlazaDb"/> gives every entity implementing it the
/// named shop filter, so a query sees only the scoped shop's rows unless it lifts the filter by name.
/// </summary>
public interface IShopOwned
{
    int ShopId { get; }
}

/// <summary>
/// A row of a shop's loyalty programme (members, their codes and passkeys, the ledger, the rules and tiers). Its
/// <see cref="IShopOwned.ShopId"/> names the programme's shop (<see cref="Features.Catalog.Shop.ProgrammeId"/>): the shop
/// itself, or the shop of the same owner it is linked into, so every linked shop sees the same members and sums.
/// </summary>
#pragma warning disable CA1040 // a marker: the shop filter reads the programme's shop for these
public interface IProgrammeOwned : IShopOwned;
#pragma warning restore CA1040
