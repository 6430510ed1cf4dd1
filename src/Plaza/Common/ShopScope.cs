using Plaza.Features.Catalog;

namespace Plaza.Common;

/// <summary>
/// The shop the current request acts for. Set once per request by <see cref="ShopScopeMiddleware"/>
/// from the <c>{shop}</c> route value; <see cref="Data.PlazaDb"/> filters every shop-owned row by it.
/// </summary>
public sealed class ShopScope
{
    public Shop? Shop { get; private set; }

    public int ShopId => Shop?.Id ?? 0;

    /// <summary>The shop whose loyalty programme the scoped shop belongs to (itself unless linked); 0 when none is in scope.</summary>
    public int ProgrammeShopId => Shop?.ProgrammeId ?? 0;

    public Shop Current => Shop ?? throw new InvalidOperationException("No shop is in scope for this request.");

    /// <summary>The scoped shop's cached catalog (menu, tables, translations); set for requests routed by <c>{shop}</c>.</summary>
    public ShopCatalog Catalog => catalog ?? throw new InvalidOperationException("No shop catalog is in scope for this request.");

    /// <summary>The <c>{shop}</c> a shop-scoped request named when no shop here has it (refused once its language is known).</summary>
    public string? UnknownSlug { get; set; }

    private ShopCatalog? catalog;

    public void Enter(ShopCatalog shopCatalog)
    {
        Enter(shopCatalog.Shop);
        catalog = shopCatalog;
    }

    public void Enter(Shop shop)
    {
        if (Shop is not null && Shop.Id != shop.Id)
        {
            throw new InvalidOperationException("A request acts for one shop only.");
        }
        Shop = shop;
    }
}

/// <summary>Endpoint metadata: the <c>{shop}</c> route value selects the shop scope (see <see cref="ShopScopeMiddleware"/>).</summary>
#pragma warning disable CA1040 // a marker, found in endpoint metadata by its type
public interface IShopScopedEndpoint;
#pragma warning restore CA1040

/// <summary>Marks endpoints whose <c>{shop}</c> route value selects the shop scope.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class ShopScopedAttribute : Attribute, IShopScopedEndpoint;
