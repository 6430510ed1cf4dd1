using Plaza.Features.Members;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Campaigns;

/// <summary>What campaign and journey tests start from: a coupon without a shared code, and members with an address.</summary>
public static class OfferMembers
{
    public static string Email(long memberId) => $"member{memberId}@example.com";

    /// <summary>A "Free cake" coupon (4.50 off) without a shared code: each member it is offered to gets a code of their own.</summary>
    public static Task<int> CouponAsync(PlazaApp app, TestShop shop) => app.WithDb(shop.Shop, async db =>
    {
        var coupon = new Plaza.Features.Loyalty.Coupon { ShopId = shop.Shop.Id, Name = "Free cake", Kind = Plaza.Features.Loyalty.CouponKind.AmountOff, Value = 450, CreatedAt = DateTime.UtcNow };
        db.Coupons.Add(coupon);
        await db.SaveChangesAsync();
        return coupon.Id;
    });

    /// <summary>
    /// <paramref name="count"/> members joined at <paramref name="joinedAt"/>, with the address <see cref="Email"/> gives, who
    /// agreed to offers (as joining with the box ticked leaves them) or did not; their ids.
    /// </summary>
    public static Task<List<long>> AddAsync(PlazaApp app, TestShop shop, int count, bool consent, DateTime joinedAt) => app.WithDb(shop.Shop, async db =>
    {
        var members = Enumerable.Range(0, count).Select(_ => new Member
        {
            ShopId = shop.Shop.Id,
            Language = "en",
            SecurityStamp = Member.NewStamp(),
            JoinedAt = joinedAt,
            MarketingConsentAt = consent ? joinedAt : null,
            MarketingConsentText = consent ? "Offers from the shop" : null,
        }).ToList();
        db.Members.AddRange(members);
        await db.SaveChangesAsync();
        foreach (var member in members)
        {
            member.Email = Email(member.Id);
        }
        await db.SaveChangesAsync();
        return members.Select(m => m.Id).ToList();
    });
}
