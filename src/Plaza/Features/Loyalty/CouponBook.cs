using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Loyalty;

/// <summary>A new coupon: exactly one of <see cref="PercentOff"/>, <see cref="AmountOff"/> and <see cref="FreeItemId"/>.</summary>
public sealed record CouponRequest
{
    public string? Name { get; init; }
    /// <summary>Whole percent off the items in scope, 1 to 100.</summary>
    public int? PercentOff { get; init; }
    /// <summary>Minor units off the items in scope.</summary>
    public long? AmountOff { get; init; }
    /// <summary>One unit of this item free, when it is in the cart.</summary>
    public int? FreeItemId { get; init; }
    public long? MinimumSpend { get; init; }
    public DateTimeOffset? ValidFrom { get; init; }
    public DateTimeOffset? ValidUntil { get; init; }
    public List<int>? ItemIds { get; init; }
    public List<int>? CategoryIds { get; init; }
    public int? PerMemberLimit { get; init; }
    public int? TotalLimit { get; init; }
    /// <summary>One code for everyone; leave out to give the coupon by single-use codes only.</summary>
    public string? SharedCode { get; init; }
    public bool Stackable { get; init; }
    /// <summary>Makes the coupon a reward members can take for this many points; leave out for none.</summary>
    public int? PointsCost { get; init; }
}

/// <param name="MemberId">The member the code is for (only they can use it); leave out for a code to hand out on paper.</param>
public sealed record IssueRequest(long? MemberId, int? Count);

/// <summary>The owner's coupons: creating, issuing single-use codes, withdrawing.</summary>
public sealed class CouponBook(PlazaDb db, ShopScope scope, TimeProvider clock)
{
    public const int MaxIssue = 500;

    public async Task<(Coupon? Coupon, ProblemHttpResult? Problem)> CreateAsync(CouponRequest request, CancellationToken ct)
    {
        var catalog = scope.Catalog;
        var invalid = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 80)
        {
            invalid["name"] = [Text.Say("Give a name of 1 to {0} characters.", 80)];
        }
        var kinds = new object?[] { request.PercentOff, request.AmountOff, request.FreeItemId }.Count(k => k is not null);
        if (kinds != 1)
        {
            invalid["percentOff"] = [Text.Say("Give exactly one of percentOff, amountOff and freeItemId.")];
        }
        else if (request.PercentOff is < 1 or > 100)
        {
            invalid["percentOff"] = [Text.Say("A percentage from 1 to 100.")];
        }
        else if (request.AmountOff is <= 0 or > StoredValue.MaxTopUp)
        {
            invalid["amountOff"] = [Text.Say("An amount above zero, in minor units.")];
        }
        else if (request.FreeItemId is { } free && !catalog.Items.ContainsKey(free))
        {
            invalid["freeItemId"] = [Text.Say("There is no item {0} on the menu.", free)];
        }
        if (request.MinimumSpend is < 0 or > StoredValue.MaxTopUp)
        {
            invalid["minimumSpend"] = [Text.Say("An amount from zero, in minor units.")];
        }
        if (request.ValidFrom is { } from && request.ValidUntil is { } until && until <= from)
        {
            invalid["validUntil"] = [Text.Say("The end comes after the start.")];
        }
        if (request.ItemIds?.FirstOrDefault(i => !catalog.Items.ContainsKey(i)) is { } unknownItem and not 0)
        {
            invalid["itemIds"] = [Text.Say("There is no item {0} on the menu.", unknownItem)];
        }
        if (request.CategoryIds?.FirstOrDefault(c => catalog.Categories.All(k => k.Id != c)) is { } unknownCategory and not 0)
        {
            invalid["categoryIds"] = [Text.Say("There is no category {0} on the menu.", unknownCategory)];
        }
        if (request.PerMemberLimit is < 1 or > 1000 || request.TotalLimit is < 1 or > 1_000_000)
        {
            invalid["perMemberLimit"] = [Text.Say("Limits are whole numbers from 1; leave them out for none.")];
        }
        if (request.PointsCost is < 1 or > 1_000_000)
        {
            invalid["pointsCost"] = [Text.Say("Points for a reward are a whole number from 1 to 1000000.")];
        }
        var shared = request.SharedCode is null ? null : Offers.Normalize(request.SharedCode);
        if (shared is not null && (shared.Length is < 4 or > 32 || !shared.All(char.IsAsciiLetterOrDigit)))
        {
            invalid["sharedCode"] = [Text.Say("A code of 4 to 32 letters and digits.")];
        }
        if (invalid.Count > 0)
        {
            return (null, Problems.Invalid(invalid));
        }
        if (shared is not null && (await db.Coupons.AnyAsync(c => c.SharedCode == shared, ct) || await db.CouponCodes.AnyAsync(c => c.Code == shared, ct)))
        {
            return (null, Problems.Conflict("code-taken", Text.Say("The code {0} is already in use at this shop.", shared)));
        }
        var coupon = new Coupon
        {
            ShopId = scope.Current.Id,
            Name = name!,
            Kind = request.PercentOff is not null ? CouponKind.PercentOff : request.AmountOff is not null ? CouponKind.AmountOff : CouponKind.FreeItem,
            Value = request.PercentOff is { } percent ? percent * 100L : request.AmountOff ?? 0,
            FreeItemId = request.FreeItemId,
            MinimumSpend = request.MinimumSpend ?? 0,
            ValidFrom = request.ValidFrom?.UtcDateTime,
            ValidUntil = request.ValidUntil?.UtcDateTime,
            ItemIds = string.Join(',', request.ItemIds ?? []),
            CategoryIds = string.Join(',', request.CategoryIds ?? []),
            PerMemberLimit = request.PerMemberLimit,
            TotalLimit = request.TotalLimit,
            SharedCode = shared,
            Stackable = request.Stackable,
            PointsCost = request.PointsCost,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Coupons.Add(coupon);
        await db.SaveChangesAsync(ct);
        return (coupon, null);
    }

    /// <summary>The rewards members can take for points now: coupons with a points price, not withdrawn, still valid.</summary>
    public async Task<List<Coupon>> RewardsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Coupons.AsNoTracking()
            .Where(c => c.PointsCost != null && c.WithdrawnAt == null && (c.ValidUntil == null || c.ValidUntil > now) && (c.TotalLimit == null || c.Uses < c.TotalLimit))
            .OrderBy(c => c.PointsCost).ToListAsync(ct);
    }

    /// <summary>
    /// A member takes a reward: its points leave the balance (a <see cref="LedgerKind.Redeemed"/> entry naming the reward) and a
    /// single-use code of the coupon is issued to them, in one transaction; too few points (also when two phones take at once)
    /// change nothing.
    /// </summary>
    public async Task<(CouponCode? Code, ProblemHttpResult? Problem)> ExchangeAsync(Members.Member member, int couponId, CancellationToken ct)
    {
        if ((await RewardsAsync(ct)).FirstOrDefault(c => c.Id == couponId) is not { PointsCost: { } cost } reward)
        {
            return (null, Problems.NotFound(Text.Say("There is no such reward in this shop.")));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var entry = Wallet.Entry(scope.Current, member.Id, LedgerAccount.Points, LedgerKind.Redeemed, -cost, null, "customer", now, reward.Name);
        if (!await Wallet.MoveAsync(db, entry, ct: ct))
        {
            return (null, Problems.Conflict("points-too-few", Text.Say("{0} needs {1} points; you have {2}.", reward.Name, cost, member.Points)));
        }
        var code = new CouponCode { ShopId = scope.Current.Id, CouponId = couponId, Code = CouponCode.NewCode(), MemberId = member.Id, IssuedAt = now };
        db.CouponCodes.Add(code);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (code, null);
    }

    /// <summary>The gift the member's tier gives this month, if it is this shop's coupon and not yet taken; null otherwise.</summary>
    public async Task<Coupon?> GiftAsync(Members.Member member, CancellationToken ct) => (await TierGiftAsync(member, ct)).Coupon;

    /// <summary>The gift of <see cref="GiftAsync"/> with the tier that gives it.</summary>
    private async Task<(Coupon? Coupon, Tier? Tier)> TierGiftAsync(Members.Member member, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var month = MonthOf(now);
        if (await Tier.OfAsync(db, member.Id, now, ct) is not { GiftCouponId: { } couponId } tier
            || await db.TierGifts.AnyAsync(g => g.MemberId == member.Id && g.Month == month, ct))
        {
            return (null, null);
        }
        return (await db.Coupons.AsNoTracking().FirstOrDefaultAsync(c => c.Id == couponId && c.WithdrawnAt == null && (c.ValidUntil == null || c.ValidUntil > now), ct), tier);
    }

    /// <summary>
    /// Takes the tier's gift for this month: a single-use code of its coupon, and the month's <see cref="TierGift"/> row saved
    /// together, so a second take (two tabs at once) is refused by the row's unique index and issues nothing.
    /// </summary>
    public async Task<(CouponCode? Code, ProblemHttpResult? Problem)> TakeGiftAsync(Members.Member member, CancellationToken ct)
    {
        if (await TierGiftAsync(member, ct) is not ({ } coupon, { } tier))
        {
            return (null, Problems.Conflict("gift-taken", Text.Say("There is no gift for you this month, or you have taken it already.")));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var code = new CouponCode { ShopId = scope.Current.Id, CouponId = coupon.Id, Code = CouponCode.NewCode(), MemberId = member.Id, IssuedAt = now };
        db.CouponCodes.Add(code);
        db.TierGifts.Add(new TierGift { ShopId = scope.Current.ProgrammeId, MemberId = member.Id, Month = MonthOf(now), TierId = tier.Id, Code = code.Code, At = now });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return (null, Problems.Conflict("gift-taken", Text.Say("There is no gift for you this month, or you have taken it already.")));
        }
        return (code, null);
    }

    /// <summary>The shop's local month of <paramref name="utc"/>, as yyyymm.</summary>
    private int MonthOf(DateTime utc)
    {
        var local = NodaTime.Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(new Catalog.OpeningSchedule(scope.Current).Zone);
        return (local.Year * 100) + local.Month;
    }

    /// <summary>Makes single-use codes of a coupon: one for a member, or several to print.</summary>
    public async Task<(List<CouponCode>? Codes, ProblemHttpResult? Problem)> IssueAsync(int couponId, IssueRequest request, CancellationToken ct)
    {
        var count = request.Count ?? 1;
        if (count is < 1 or > MaxIssue || request.MemberId is not null && count != 1)
        {
            return (null, Problems.Invalid(new Dictionary<string, string[]> { ["count"] = [Text.Say("1 code for a member, or up to {0} to print.", MaxIssue)] }));
        }
        if (await db.Coupons.AsNoTracking().FirstOrDefaultAsync(c => c.Id == couponId && c.WithdrawnAt == null, ct) is null)
        {
            return (null, Problems.NotFound(Text.Say("There is no such coupon in this shop.")));
        }
        if (request.MemberId is { } member && !await db.Members.AnyAsync(m => m.Id == member, ct))
        {
            return (null, Problems.NotFound(Text.Say("There is no such member in this shop.")));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var codes = Enumerable.Range(0, count)
            .Select(_ => new CouponCode { ShopId = scope.Current.Id, CouponId = couponId, Code = CouponCode.NewCode(), MemberId = request.MemberId, IssuedAt = now })
            .ToList();
        db.CouponCodes.AddRange(codes);
        await db.SaveChangesAsync(ct);
        return (codes, null);
    }

    public async Task<bool> WithdrawAsync(int couponId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Coupons.Where(c => c.Id == couponId && c.WithdrawnAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.WithdrawnAt, now), ct) == 1;
    }
}
