namespace Plaza.Features.Catalog;

/// <summary>
/// An item a menu edit added (<see cref="OldPrice"/> null) or saved with its price before the edit;
/// the shop may announce such changes to its followers.
/// </summary>
public sealed record MenuChange(Item Item, long? OldPrice)
{
    public bool IsNew => OldPrice is null;

    public bool IsRepriced => OldPrice is { } old && old != Item.Price;
}
