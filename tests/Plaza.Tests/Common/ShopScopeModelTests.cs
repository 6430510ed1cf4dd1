using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Plaza.Common;
using Plaza.Data;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Common;

/// <summary>
/// The shop scope holds by convention: an entity with a <c>ShopId</c> is filtered to the shop in scope
/// unless it is a named exemption with its reason. A new entity that forgets <see cref="IShopOwned"/>,
/// or a filter dropped from the model, fails here before any page can leak another shop's rows.
/// </summary>
/// <remarks>The tests share a node per store (<see cref="SharedNodes"/>): two read its model, one makes shops of its own.</remarks>
public sealed class ShopScopeModelTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    private static IReadOnlyList<IEntityType> WithShopId(PlazaDb db) =>
        [.. db.Model.GetEntityTypes().Where(e => e.FindProperty(nameof(IShopOwned.ShopId)) is not null)];

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Every_entity_with_a_shop_id_is_filtered_to_the_shop_in_scope_or_named_as_an_exemption(Store store)
    {
        var app = await nodes.GetAsync(store);
        var unfiltered = await app.WithDb(null, db => Task.FromResult(WithShopId(db)
            .Where(e => e.FindDeclaredQueryFilter(PlazaDb.ShopFilter) is null && !PlazaDb.UnfilteredShopRows.ContainsKey(e.ClrType))
            .Select(e => e.ClrType.Name).ToList()));
        var entities = await app.WithDb(null, db => Task.FromResult(WithShopId(db).Count));

        Assert.True(entities >= 24, $"Expected the node's shop-owned entities, found {entities}.");
        Assert.True(unfiltered.Count == 0, "These entities have a ShopId but neither the shop filter nor an exemption: " + string.Join(", ", unfiltered));
    }

    [Fact]
    public async Task Each_exemption_names_an_entity_that_has_a_shop_id_and_no_filter()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        await app.WithDb(null, db =>
        {
            foreach (var (type, reason) in PlazaDb.UnfilteredShopRows)
            {
                var entity = db.Model.FindEntityType(type);
                Assert.True(entity?.FindProperty(nameof(IShopOwned.ShopId)) is not null, $"{type.Name} is exempted but has no ShopId.");
                Assert.True(entity!.FindDeclaredQueryFilter(PlazaDb.ShopFilter) is null, $"{type.Name} is exempted yet filtered.");
                Assert.False(string.IsNullOrWhiteSpace(reason));
            }
            return Task.FromResult(0);
        });
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_query_in_one_shops_scope_sees_none_of_another_shops_rows(Store store)
    {
        var app = await nodes.GetAsync(store);
        var mine = await CreateAsync(app);
        var other = await CreateAsync(app);
        await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), other, Order(other)));

        var seen = await app.WithDb(mine.Shop, async db => new
        {
            Items = await db.Items.Select(i => i.ShopId).Distinct().ToListAsync(),
            Categories = await db.Categories.Select(c => c.ShopId).Distinct().ToListAsync(),
            Orders = await db.Orders.CountAsync(),
            Lines = await db.OrderLines.CountAsync(),
        });

        Assert.Equal([mine.Shop.Id], seen.Items);
        Assert.Equal([mine.Shop.Id], seen.Categories);
        Assert.Equal(0, seen.Orders);
        Assert.Equal(0, seen.Lines);
    }
}
