namespace Plaza.Common;

/// <summary>
/// A row that belongs to one shop. <see cref="Data.PlazaDb"/> gives every entity implementing it the
/// named shop filter, so a query sees only the scoped shop's rows unless it lifts the filter by name.
/// </summary>
public interface IShopOwned
{
    int ShopId { get; }
}
