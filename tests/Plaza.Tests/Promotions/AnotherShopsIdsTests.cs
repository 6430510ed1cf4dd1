using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Ordering;
using Plaza.Features.Promotions;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Promotions;

/// <summary>An owner token of shop A names shop A in its URLs; an id of shop B's in them is not found and B's row stays as it was.</summary>
/// <remarks>The tests share a node per store (<see cref="SharedNodes"/>), each with two shops of its own.</remarks>
public sealed class AnotherShopsIdsTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    private async Task<(PlazaApp App, TestShop A, TestShop B, HttpClient OwnerOfA, HttpClient OwnerOfB)> TwoShopsAsync(Store store)
    {
        var app = await nodes.GetAsync(store);
        var a = await CreateAsync(app);
        var b = await CreateAsync(app);
        return (app, a, b, app.StaffClient(await app.IssueTokenAsync(a.Shop, scope: TokenScope.Owner)), app.StaffClient(await app.IssueTokenAsync(b.Shop, scope: TokenScope.Owner)));
    }

    private static async Task<long> PromotionOfAsync(HttpClient owner, TestShop shop, string text) =>
        (await Asserts.CreatedAsync(await owner.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/promotions", new { text }))).GetProperty("id").GetInt64();

    private static Task<Promotion> StoredPromotionAsync(PlazaApp app, long id) =>
        app.WithDb(null, db => db.Promotions.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().SingleAsync(p => p.Id == id));

    private static Task<int> DeliveriesAsync(PlazaApp app) =>
        app.WithDb(null, db => db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync());

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Editing_another_shops_promotion_is_not_found_and_changes_nothing(Store store)
    {
        var (app, a, b, ownerOfA, ownerOfB) = await TwoShopsAsync(store);
        var theirs = await PromotionOfAsync(ownerOfB, b, "Fresh rye bread today.");

        var edit = await ownerOfA.PutAsJsonAsync($"/api/v1/shops/{a.Slug}/promotions/{theirs}", new { text = "Closed for good." });

        await Asserts.ProblemAsync(edit, HttpStatusCode.NotFound, "not-found");
        var stored = await StoredPromotionAsync(app, theirs);
        Assert.Equal(("Fresh rye bread today.", null), (stored.Text, stored.UpdatedAt));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Taking_down_another_shops_promotion_is_not_found_and_changes_nothing(Store store)
    {
        var (app, a, b, ownerOfA, ownerOfB) = await TwoShopsAsync(store);
        var theirs = await PromotionOfAsync(ownerOfB, b, "Fresh rye bread today.");

        var takeDown = await ownerOfA.DeleteAsync($"/api/v1/shops/{a.Slug}/promotions/{theirs}");

        await Asserts.ProblemAsync(takeDown, HttpStatusCode.NotFound, "not-found");
        Assert.Null((await StoredPromotionAsync(app, theirs)).DeletedAt);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Undoing_another_shops_boost_is_not_found_and_changes_nothing(Store store)
    {
        var (app, a, b, ownerOfA, _) = await TwoShopsAsync(store);
        var deliveriesBefore = await DeliveriesAsync(app); // on the node, for every shop
        var theirs = await app.WithDb(null, async db =>
        {
            var boost = new Boost
            {
                ShopId = b.Shop.Id,
                ObjectId = "https://peer.example/users/baker/notes/1",
                AuthorId = "https://peer.example/users/baker",
                AnnounceId = $"http://localhost/actors/{b.Slug}/boosts/{Guid.NewGuid():N}",
                BoostedAt = DateTime.UtcNow,
            };
            db.Boosts.Add(boost);
            await db.SaveChangesAsync();
            return boost.Id;
        });

        var undo = await ownerOfA.DeleteAsync($"/api/v1/shops/{a.Slug}/boosts/{theirs}");

        await Asserts.ProblemAsync(undo, HttpStatusCode.NotFound, "not-found");
        Assert.Null(await app.WithDb(null, db => db.Boosts.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(x => x.Id == theirs).Select(x => x.UndoneAt).SingleAsync()));
        Assert.Equal(deliveriesBefore, await DeliveriesAsync(app));
    }
}
